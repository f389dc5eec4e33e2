import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useApi } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';

interface HealthReport {
  status: 'ok' | 'degraded';
  nats: string;
  services: Record<string, ServiceHealth>;
}

interface ServiceHealth {
  status?: string;
  position?: string | null;
  details?: string;
  /** Each read model against the log head (left out when the service's store did not answer in time). */
  readModels?: Array<{ model: string; caughtUp: boolean; lagPositions: number }>;
}

/** A service's read-model lag, as a line: every model caught up, or the ones behind and by how much. */
export function lagText(s: ServiceHealth): string {
  if (!s.readModels) return 'unknown';
  const behind = s.readModels.filter((m) => !m.caughtUp);
  if (behind.length === 0) return s.readModels.length ? `caught up (${s.readModels.length} models)` : 'no read models';
  return behind.map((m) => `${m.model}: ${m.lagPositions} positions behind`).join(', ');
}

/**
 * The services and their read models' lag, from the gateway's `GET /health` (each service's Health
 * reply: its status, its first read model's position, and each read model against the log head, as
 * its lag gauges count it).
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
                  <Table.Th scope="col">Read-model lag</Table.Th>
                  <Table.Th scope="col">Applied up to</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {Object.entries(data.services).map(([name, s]) => (
                  <Table.Tr key={name}>
                    <Table.Td>{name}</Table.Td>
                    <Table.Td>{s.status ?? 'unknown'}{s.details ? <Text size="xs" c="dimmed">{s.details}</Text> : null}</Table.Td>
                    <Table.Td>{lagText(s)}</Table.Td>
                    <Table.Td>{s.position ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed">
              Lag: log positions between the head of the log and how far a read model has seen it, counted only while an event
              of its own context is still to apply (positions are shared by every context). Applied up to: the log position
              the service&apos;s first read model has applied (—: none yet).
            </Text>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
