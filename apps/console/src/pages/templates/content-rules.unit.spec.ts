import { COMMON_PARAMS, checkTemplateContent, paramsOf } from './content-rules';

/** The console's findings over the server's own content rules (libs/domain/baremetal/template-params.ts). */
const ALL = COMMON_PARAMS.map((p) => `{{ ${p} }}`).join('\n');

describe("the console's template content findings", () => {
  it.each([
    ['the seven', ALL, null],
    ['one missing', COMMON_PARAMS.slice(1).map((p) => `{{ ${p} }}`).join('\n'), 'common params missing in template content'],
    ['the seven plus IMAGE_UUID', `${ALL}\n{{ IMAGE_UUID }}`, null],
    ['the seven plus two more', `${ALL}\n{{ IMAGE_UUID }}{{ OTHER_THING }}`, 'unknown common params exist in template content'],
    ['a custom param too long', `${ALL}\n{{ ${'a'.repeat(256)} }}`, `custom param ${'a'.repeat(256)} is too long`],
  ])('carry the server\'s refusal: %s', (_name, content, error) => {
    expect(checkTemplateContent(content).error).toBe(error);
  });

  it('name what is wrong', () => {
    expect(checkTemplateContent(COMMON_PARAMS.slice(1).map((p) => `{{ ${p} }}`).join('\n')).missingCommon).toEqual(['REPO_URL']);
    expect(checkTemplateContent(`${ALL}\n{{ IMAGE_UUID }}{{ OTHER_THING }}`).unknownCommon).toEqual(['OTHER_THING']);
    expect(checkTemplateContent(`${ALL}\n{{ MixedCase }} {{ Repo_Url }} {{ MixedCase }}`).literal).toEqual(['MixedCase', 'Repo_Url']);
    expect(checkTemplateContent(`${ALL}\n{{ ${'a'.repeat(256)} }} {{ ${'b'.repeat(255)} }}`).tooLongCustom).toEqual(['a'.repeat(256)]);
  });

  it('list the params a preview can be given, common then custom, once each', () => {
    expect(paramsOf('{{ hostname }} {{ REPO_URL }} {{hostname}} {{ Mixed }} {{ disk.size }}')).toEqual(['REPO_URL', 'hostname', 'disk.size']);
  });
});
