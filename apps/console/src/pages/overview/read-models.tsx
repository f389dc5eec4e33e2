import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useApi } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';

interface HealthReport {
  status: 'ok' | 'degraded';
  nats: string;
  services: Record<string, { status?: string; position?: string | null; details?: string }>;
}

/**
 * The services and how far their read models have applied the log, from the gateway's `GET /health`
 * (each service's Health reply: its status and its first read model's position). The lag itself, in
 * positions, is a gauge of each service's own /metrics (METRICS_PORT), which the gateway does not
 * serve: the positions here are what the public origin offers (docs/console.md).
 */
export function ReadModels() {
  const api = useApi();
  const { data, error, loading, reload } = useLoad((signal) => api.get<HealthReport>('/health', signal), []);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="overview-read-models">
      <Stack gap="sm">
        <Title order={3} id="overview-read-models">Services and read models</Title>
        <ApiErrorAlert error={error} onRetry={reload} title="Loading the health" />
        {loading && !data ? <Loading label="Loading the health" /> : null}
        {data ? (
          <>
            <Group gap="xs">
              <Text size="sm">Gateway:</Text>
              <Badge color={data.status === 'ok' ? '#1e6b30' : '#8a4b00'}>{data.status}</Badge>
              <Text size="sm">NATS {data.nats}</Text>
            </Group>
            <Table data-testid="read-models">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Service</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Applied up to</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {Object.entries(data.services).map(([name, s]) => (
                  <Table.Tr key={name}>
                    <Table.Td>{name}</Table.Td>
                    <Table.Td>{s.status ?? 'unknown'}{s.details ? <Text size="xs" c="dimmed">{s.details}</Text> : null}</Table.Td>
                    <Table.Td>{s.position ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed">
              The log position each service&apos;s read models have applied (—: none yet). Positions are shared by every context, so a
              lower one is not a lag: a service is late only when an event of its own context lies beyond it. That lag is a gauge
              of each service&apos;s /metrics (its METRICS_PORT), not served by the gateway.
            </Text>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
