import { Alert, Code, Group, List, Text, VisuallyHidden } from '@mantine/core';
import { OK_GREEN } from './state-badge';
import { COMMON_PARAMS, IMAGE_UUID_PARAM, type ContentFindings } from './content-rules';

const codes = (names: readonly string[]) => (
  <Group gap={4} component="span" display="inline-flex" wrap="wrap">
    {names.map((n) => <Code key={n}>{n}</Code>)}
  </Group>
);

/**
 * What the content rules found, under the editor, as the operator types. A screen reader hears only a
 * one-line summary when it changes (a live region of its own), not the whole list at each keystroke.
 */
export function ContentFindingsView({ id, findings }: { id: string; findings: ContentFindings }) {
  const problems = findings.error !== null;
  const summary = problems
    ? `${findings.error}${findings.missingCommon.length ? `: ${findings.missingCommon.join(', ')}` : ''}${findings.unknownCommon.length ? `: ${findings.unknownCommon.join(', ')}` : ''}`
    : 'it passes the server\'s rules';
  return (
    <div id={id} data-testid="content-findings">
      <VisuallyHidden aria-live="polite">{`Content check: ${summary}`}</VisuallyHidden>
      <Alert color={problems ? 'red' : OK_GREEN} variant="light" title={problems ? 'The server will refuse this content' : 'The content passes the server\'s rules'}>
        <List size="sm" spacing={2}>
          {problems ? <List.Item data-testid="content-error">{findings.error}</List.Item> : null}
          {findings.missingCommon.length > 0 ? (
            <List.Item data-testid="missing-common">Missing common params: {codes(findings.missingCommon)}</List.Item>
          ) : null}
          {findings.unknownCommon.length > 0 ? (
            <List.Item data-testid="unknown-common">
              Unknown common params: {codes(findings.unknownCommon)}{' '}
              <Text span size="sm" c="dimmed">(one extra common param is accepted, meant for {IMAGE_UUID_PARAM}; more are refused)</Text>
            </List.Item>
          ) : null}
          {findings.tooLongCustom.length > 0 ? <List.Item>Custom params longer than 255 characters: {codes(findings.tooLongCustom.map((p) => `${p.slice(0, 20)}…`))}</List.Item> : null}
          {findings.literal.length > 0 ? (
            <List.Item>Mixed-case tokens, left as literal text: {codes(findings.literal.map((p) => `{{ ${p} }}`))}</List.Item>
          ) : null}
          <List.Item>
            Common params ({findings.common.length} of the {COMMON_PARAMS.length} required{findings.common.length > COMMON_PARAMS.length ? ' + extra' : ''}):{' '}
            {findings.common.length ? codes(findings.common) : <Text span size="sm" c="dimmed">none</Text>}
          </List.Item>
          <List.Item>Custom params: {findings.custom.length ? codes(findings.custom) : <Text span size="sm" c="dimmed">none</Text>}</List.Item>
        </List>
      </Alert>
    </div>
  );
}
