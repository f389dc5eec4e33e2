import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_REGISTRY, REST_APIS, queryParamsOf, SYSTEM_APIS, ZSTACK_APIS, apiParams, subjectOf, type ApiParamSpec } from '@cp/contracts';

/**
 * docs/api-catalog.md, generated from the API registry in libs/contracts, so the document cannot
 * drift from what the gateway and the services do. `npm run docs` rewrites it; a unit test fails
 * when the committed file is stale.
 */
export function renderApiCatalog(): string {
  const lines = [
    '# API catalog',
    '',
    'Generated from the API registry (`libs/contracts/src/registry`) by `npm run docs`; do not edit by hand.',
    '',
    'Every ZStack API is served at `/zstack/v1<path>` by the gateway and on the NATS bus at its subject',
    '(see [nats-bus.md](nats-bus.md)). Commands answer through the job protocol over REST; on the bus',
    'every API is a plain request/reply. `access: session` APIs take a session (`Authorization: OAuth <session>`)',
    'or a request signed with an access key (`Authorization: ZStack <AccessKeyID>:<Signature>` and `Date`; see the README).',
    '',
    '| API | REST | body key | kind | access | NATS subject | result |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const api of ZSTACK_APIS) {
    const rest = api.paths.map((p) => `\`${api.method} ${p}\``).join('<br>');
    const result = api.result ? `\`${api.result.className}\`` : '—';
    lines.push(`| ${api.name} | ${rest} | ${api.bodyKey ? `\`${api.bodyKey}\`` : '—'} | ${api.kind} | ${api.access} | \`${subjectOf(api)}\` | ${result} |`);
  }
  lines.push(
    '', '## Our JSON API (`/api/v1`)', '',
    'Synchronous JSON; `Authorization: Bearer <session>` (or `OAuth`, or an access-key signature); errors are the HTTP status with',
    '`{"error": {"code", "description", "details"}}`. On the bus, the payload is the path parameters and query parameters, with the',
    'JSON body under the body key.', '',
    '| operation | REST | body key | query parameters | kind | access | NATS subject |',
    '|---|---|---|---|---|---|---|',
  );
  for (const r of REST_APIS) {
    lines.push(`| ${r.name} | \`${r.method} /api/v1${r.path}\` | ${r.bodyKey ? `\`${r.bodyKey}\`` : '—'} | ${queryParamsOf(r).join(', ') || '—'}${r.ndjson ? ' (NDJSON with `Accept: application/x-ndjson`)' : ''} | ${r.kind} | ${r.access} | \`${subjectOf(r)}\` |`);
  }
  lines.push(
    '', '## Bus-only APIs', '',
    'Answered on the NATS bus only: each service\'s health, identity-svc\'s caller lookup for the other services, the operators\' read-model tools.', '',
    '| API | kind | access | NATS subject |',
    '|---|---|---|---|',
  );
  for (const api of SYSTEM_APIS) lines.push(`| ${api.name} | ${api.kind} | ${api.access} | \`${subjectOf(api)}\` |`);
  lines.push('', '## Payload fields', '', 'The `payload` of a bus request, or the object under the body key over REST (path variables included).', '');
  for (const api of API_REGISTRY.filter((a) => a.wire !== 'bus')) {
    lines.push(`### ${api.name} (\`${api.request.name}\`)`, '', '| field | type | rules |', '|---|---|---|');
    lines.push(...fieldRows(api.request, ''));
    lines.push('');
  }
  return lines.join('\n');
}

/** One row per field; a nested object's fields follow it as `body.name`. */
function fieldRows(request: new () => object, prefix: string): string[] {
  return apiParams(request).flatMap((p) => [
    `| ${prefix}${p.name} | ${p.type} | ${rules(p)} |`,
    ...(p.type === 'object' && p.shape ? fieldRows(p.shape, `${prefix}${p.name}.`) : []),
  ]);
}

function rules(p: ApiParamSpec): string {
  const r: string[] = [];
  if (p.required) r.push('required');
  if (p.maxLength !== undefined) r.push(`max length ${p.maxLength}`);
  if (p.minLength !== undefined) r.push(`min length ${p.minLength}`);
  if (p.validValues) r.push(`one of ${p.validValues.join(', ')}`);
  if (p.validRegex) r.push(`matches \`${p.validRegex.source}\``);
  if (p.numberRange) r.push(`${p.numberRange[0]}..${p.numberRange[1]}`);
  if (p.noTrim) r.push('not trimmed');
  if (p.nonEmpty) r.push('non-empty');
  if (p.refuseUnknown) r.push('unknown fields refused');
  if (p.fromString) r.push('a number, or its digits as text');
  // A `|` would end the markdown table's cell.
  return (r.join('; ') || '—').replace(/\|/g, '\\|');
}

export const API_CATALOG_PATH = join(__dirname, '..', 'docs', 'api-catalog.md');

if (require.main === module) {
  writeFileSync(API_CATALOG_PATH, renderApiCatalog() + '\n');
  process.stdout.write(`wrote ${API_CATALOG_PATH}\n`);
}
