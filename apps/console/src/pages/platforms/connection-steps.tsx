import { Alert, Badge, Table, Text } from '@mantine/core';
import type { ConnectionTest } from './types';

const STEP_LABELS: Record<string, string> = {
  dns_lookup: 'DNS lookup', tcp_connect: 'TCP connect', tls_handshake: 'TLS handshake', api_reachable: 'API reachable',
  authenticate: 'Authenticate', permission_check: 'Permission check',
};
const STATUS_COLOR: Record<string, string> = { success: '#1e6b30', failure: '#b02525', skipped: '#495057' };

/** TestConnectionDetailed's steps (pass / fail / skipped, latency, the error) and its recommendation. */
export function ConnectionSteps({ result }: { result: ConnectionTest }) {
  return (
    <>
      <Table data-testid="connection-steps">
        <Table.Caption>Connection test: {result.success ? 'every step passed' : 'a step failed'}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Step</Table.Th>
            <Table.Th scope="col">Result</Table.Th>
            <Table.Th scope="col">Latency</Table.Th>
            <Table.Th scope="col">Error</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.items.map((item) => (
            <Table.Tr key={item.name} data-step={item.name}>
              <Table.Td>{STEP_LABELS[item.name] ?? item.name}</Table.Td>
              <Table.Td><Badge color={STATUS_COLOR[item.status] ?? '#495057'} variant="filled">{item.status}</Badge></Table.Td>
              <Table.Td>{item.status === 'skipped' ? '—' : `${item.latencyMs} ms`}</Table.Td>
              <Table.Td><Text size="sm">{item.errorMsg ?? ''}</Text></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Alert color={result.success ? 'green' : 'yellow'} title="Recommendation" data-testid="recommendation">
        {result.recommendation}
      </Alert>
    </>
  );
}
