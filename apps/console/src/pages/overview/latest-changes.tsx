import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useApi } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';
import { formatTime } from '../../format';
import { newestAuditEvents } from './newest-audit-events';

export const LATEST_COUNT = 10;

const windowText = (ms: number) => (ms < 3600_000 ? `${ms / 60_000} minutes` : ms < 86_400_000 ? `${ms / 3600_000} hour` : `${Math.round(ms / 86_400_000)} days`);

/** The newest changes the caller may see in the audit log (QueryAuditEvents). */
export function LatestChanges() {
  const api = useApi();
  const { data, error, loading, reload } = useLoad((signal) => newestAuditEvents(api, LATEST_COUNT, Date.now(), signal), []);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="overview-changes">
      <Stack gap="sm">
        <Title order={3} id="overview-changes">Latest changes</Title>
        <ApiErrorAlert error={error} onRetry={reload} title="Loading the audit log" />
        {loading && !data ? <Loading label="Loading the latest changes" /> : null}
        {data ? (
          <>
            <Text size="sm" c="dimmed">
              {data.events.length === 0 ? `No change in the last ${windowText(data.windowMs)}.` : `The newest ${data.events.length}, from the last ${windowText(data.windowMs)}`}
              {data.truncated ? ' (a busy period: the newest of the first events read)' : ''}
            </Text>
            {data.events.length > 0 ? (
              <Table.ScrollContainer minWidth={700}>
                <Table data-testid="latest-changes">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">When</Table.Th>
                      <Table.Th scope="col">Event</Table.Th>
                      <Table.Th scope="col">Resource</Table.Th>
                      <Table.Th scope="col">By</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.events.map((e) => (
                      <Table.Tr key={e.position}>
                        <Table.Td>{formatTime(e.occurredAt)}</Table.Td>
                        <Table.Td>{e.type}</Table.Td>
                        <Table.Td><Text size="sm">{e.resourceType} <Text span ff="monospace" size="xs">{e.resourceUuid}</Text></Text></Table.Td>
                        <Table.Td><Text size="sm" ff="monospace">{e.actor?.accountUuid ?? 'system'}{e.actor?.via ? ` (${e.actor.via})` : ''}</Text></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            ) : null}
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
