import { checkContent, extractParams, renderTemplate } from './template-params';

describe('template params', () => {
  it('tells common (no lowercase) from custom (no uppercase) params; mixed case is literal text', () => {
    expect(extractParams('{{REPO_URL}} {{ hostname }} {{  disk_1 }} {{ Mixed }} {{ REPO_URL }} {{ 42 }}')).toEqual({
      common: ['REPO_URL', '42'], custom: ['hostname', 'disk_1'],
    });
  });

  it('names the first content rule broken', () => {
    expect(checkContent('{{ REPO_URL }}')).toEqual({ error: 'common params missing in template content' });
  });

  it('renders the values given and lists the params left without one', () => {
    const r = renderTemplate('url {{ REPO_URL }}\nhost {{hostname}}\n{{ Mixed }} {{ REPO_URL }} {{ disk }}', { REPO_URL: 'http://x', disk: '' });
    expect(r).toEqual({ text: 'url http://x\nhost {{hostname}}\n{{ Mixed }} http://x ', missing: ['hostname'] });
  });

  it('inserts values literally ($& and $1 are not replacement patterns)', () => {
    expect(renderTemplate('{{ PASSWORD }}', { PASSWORD: '$6$salt$&$1' }).text).toBe('$6$salt$&$1');
  });
});
