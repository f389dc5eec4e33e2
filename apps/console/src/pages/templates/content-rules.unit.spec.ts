import fc from 'fast-check';
import { checkContent, extractParams, COMMON_PARAMS as SERVER_COMMON, MAX_COMMON_PARAMS as SERVER_MAX } from '../../../../../libs/domain/baremetal/template-params';
import { COMMON_PARAMS, MAX_COMMON_PARAMS, checkTemplateContent } from './content-rules';

/** The console's content rules against baremetal-svc's own (what Add and Update refuse): they must not drift. */
const ALL = COMMON_PARAMS.map((p) => `{{ ${p} }}`).join('\n');
const serverError = (content: string) => {
  const checked = checkContent(content);
  return 'error' in checked ? checked.error : null;
};

const TABLE: Record<string, string> = {
  empty: '',
  'no params': 'text\nlang en_US\n',
  'all seven': ALL,
  'all seven, no spaces': COMMON_PARAMS.map((p) => `{{${p}}}`).join(' '),
  'one missing': COMMON_PARAMS.slice(1).map((p) => `{{ ${p} }}`).join('\n'),
  'seven plus IMAGE_UUID': `${ALL}\n{{ IMAGE_UUID }}`,
  'seven plus another': `${ALL}\n{{ OTHER_THING }}`,
  'seven plus two more': `${ALL}\n{{ IMAGE_UUID }}{{ OTHER_THING }}`,
  'digits only count as common': `${ALL}\n{{ 123 }}{{ 4_5 }}`,
  'custom params': `${ALL}\n{{ hostname }} {{ disk.size }} {{ my-var }} {{ hostname }}`,
  'mixed case is literal': `${ALL}\n{{ MixedCase }} {{ Repo_Url }}`,
  'a custom param too long': `${ALL}\n{{ ${'a'.repeat(256)} }}`,
  'a custom param at the limit': `${ALL}\n{{ ${'a'.repeat(255)} }}`,
  'missing beats too many': `{{ A }}{{ B }}{{ C }}{{ D }}{{ E }}{{ F }}{{ G }}{{ H }}{{ I }}`,
  'broken braces': `${ALL.replace('{{ PASSWORD }}', '{{ PASSWORD }')}`,
  'spaces and tabs': COMMON_PARAMS.map((p) => `{{\t ${p}   }}`).join(''),
  'invalid chars inside': `${ALL}\n{{ a b }} {{ $X }}`,
};

describe("the console's template content rules", () => {
  it('share the constants with the server', () => {
    expect([...COMMON_PARAMS]).toEqual([...SERVER_COMMON]);
    expect(MAX_COMMON_PARAMS).toBe(SERVER_MAX);
  });

  it.each(Object.entries(TABLE))('agree with the server on %s', (_name, content) => {
    const mine = checkTemplateContent(content);
    expect(mine.error).toBe(serverError(content));
    const server = extractParams(content);
    expect(mine.common).toEqual(server.common);
    expect(mine.custom).toEqual(server.custom);
  });

  it('name what is wrong', () => {
    const missing = checkTemplateContent(TABLE['one missing']);
    expect(missing.missingCommon).toEqual(['REPO_URL']);
    expect(checkTemplateContent(TABLE['seven plus two more']).unknownCommon).toEqual(['OTHER_THING']);
    expect(checkTemplateContent(TABLE['mixed case is literal']).literal).toEqual(['MixedCase', 'Repo_Url']);
    expect(checkTemplateContent(TABLE['a custom param too long']).tooLongCustom).toHaveLength(1);
  });

  it('agree with the server on generated contents', () => {
    const name = fc.oneof(
      fc.constantFrom(...COMMON_PARAMS, 'IMAGE_UUID', 'EXTRA', 'X', 'Mixed', 'x', 'a.b', 'A-B', '9'),
      fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/),
    );
    const piece = fc.oneof(
      name.map((n) => `{{ ${n} }}`), name.map((n) => `{{${n}}}`), fc.constantFrom('\n', ' ', '{{', '}}', '{ x }', 'text'),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), fc.boolean(), (pieces, withAll) => {
      const content = (withAll ? ALL : '') + pieces.join('');
      const mine = checkTemplateContent(content);
      expect(mine.error).toBe(serverError(content));
      expect(mine.custom).toEqual(extractParams(content).custom);
    }), { numRuns: 500 });
  });
});
