import { Badge, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { diffVersions, showScalar, summarize, type DiffKind } from './diff';

/** Dark enough for white text at 4.5:1 or more (the axe scans check it); the word is always shown, never the colour alone. */
const KIND_COLOR: Record<DiffKind, string> = { changed: '#1864ab', added: '#1e6b30', removed: '#b02525', unchanged: '#495057' };

/** The field-by-field diff of two versions (diff.ts): changed, added and removed fields, unchanged ones on request. */
export function DiffView({ a, b, aName, bName }: { a: unknown; b: unknown; aName: string; bName: string }) {
  const [showUnchanged, setShowUnchanged] = useState(false);
  const entries = diffVersions(a, b);
  const summary = summarize(entries);
  const shown = entries.filter((e) => showUnchanged || e.kind !== 'unchanged');
  const anyRedacted = entries.some((e) => e.redacted);
  return (
    <Stack gap="xs">
      <Group gap="xs" aria-live="polite" data-testid="diff-summary">
        <Badge color={KIND_COLOR.changed} variant="filled">{summary.changed} changed</Badge>
        <Badge color={KIND_COLOR.added} variant="filled">{summary.added} added</Badge>
        <Badge color={KIND_COLOR.removed} variant="filled">{summary.removed} removed</Badge>
        <Badge color={KIND_COLOR.unchanged} variant="filled">{summary.unchanged} unchanged</Badge>
        <Checkbox label="Show unchanged fields" checked={showUnchanged} onChange={(e) => setShowUnchanged(e.currentTarget.checked)} ml="md" />
      </Group>
      {anyRedacted ? (
        <Text size="xs" c="dimmed">Secrets are shown as the Audit API redacts them: whether a redacted secret changed cannot be told from the audit.</Text>
      ) : null}
      <Table aria-label={`Differences from ${aName} to ${bName}`} withTableBorder verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w="26%">Field</Table.Th>
            <Table.Th scope="col" w={110}>Change</Table.Th>
            <Table.Th scope="col">A ({aName})</Table.Th>
            <Table.Th scope="col">B ({bName})</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((e) => (
            <Table.Tr key={e.path} data-testid="diff-row" data-field={e.path} data-kind={e.kind}>
              <Table.Td><Text size="sm" ff="monospace">{e.path}</Text></Table.Td>
              <Table.Td><Badge color={KIND_COLOR[e.kind]} variant="filled" size="sm">{e.kind}</Badge></Table.Td>
              <Table.Td><Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>{showScalar(e.before)}</Text></Table.Td>
              <Table.Td><Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>{showScalar(e.after)}</Text></Table.Td>
            </Table.Tr>
          ))}
          {shown.length === 0 ? (
            <Table.Tr><Table.Td colSpan={4}><Text size="sm" c="dimmed">No field differs between these two points.</Text></Table.Td></Table.Tr>
          ) : null}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
