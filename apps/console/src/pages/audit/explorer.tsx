import { Anchor, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { PayloadOf } from '../../api/client';
import { useApi } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';
import { EventDetails } from './event-details';
import { ExportButton } from './export-button';
import { cleanFilter, filterOfParams, PAGE_SIZES, paramsOfFilter, RECENT_RANGES, recentFrom, RESOURCE_TYPES, summarizeEvent, type AuditFilter, type FilterKey } from './filters';
import { shortUuid, shownTime } from './format';
import type { AuditEvent, AuditEventsPage } from './types';

const TIME_HINT = 'ISO-8601 with its zone, e.g. 2026-01-15T08:00:00Z';

/**
 * The events of the log (QueryAuditEvents), filtered by resource, type, event type, actor and time
 * range, PAGE_SIZE a page, forward (`after` = the reply's `next`) and back to the first page. The
 * filters and the page are the URL's: `/console/audit?resourceUuid=<uuid>` is a deep link.
 */
export function AuditExplorer() {
  const api = useApi();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const { filter, after, limit } = filterOfParams(params);
  const key = paramsOfFilter(filter, after, limit).toString();
  const [drafts, setDrafts] = useState<AuditFilter>(filter);
  const [selected, setSelected] = useState<AuditEvent | null>(null);
  const [openUuid, setOpenUuid] = useState('');

  // The form follows the URL (a deep link, the browser's back button).
  useEffect(() => setDrafts(filterOfParams(new URLSearchParams(key)).filter), [key]);

  const { data, error, loading, reload } = useLoad(
    (signal) => api.call<'QueryAuditEvents', AuditEventsPage>('QueryAuditEvents', {
      // The resource type as the URL has it: the API refuses an unknown one (its text shown).
      ...filter, resourceType: filter.resourceType as PayloadOf<'QueryAuditEvents'>['resourceType'], limit: String(limit), ...(after ? { after } : {}),
    }, { signal }),
    [key],
  );

  const draft = (name: FilterKey) => ({
    value: drafts[name] ?? '',
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      const value = e.currentTarget.value;
      setDrafts((d) => ({ ...d, [name]: value }));
    },
  });
  const apply = (next: AuditFilter, page: string | null = null, size = limit) => setParams(paramsOfFilter(next, page, size));

  return (
    <Stack>
      <Title order={2}>Audit</Title>
      <Text c="dimmed" size="sm">Every change is an event of the log: who changed what, when. Event data is shown as the Audit API returns it, with secrets redacted.</Text>
      <Paper withBorder p="sm">
        <form
          role="search"
          aria-label="Filter the audit events"
          onSubmit={(event) => {
            event.preventDefault();
            apply(cleanFilter(drafts));
          }}
        >
          <Group align="flex-start" wrap="wrap" gap="sm">
            <TextInput label="Resource uuid" placeholder="32 hex digits" w={330} ff="monospace" {...draft('resourceUuid')} />
            <Select
              label="Resource type"
              data={[{ value: '', label: 'Any' }, ...RESOURCE_TYPES.map((t) => ({ value: t, label: t }))]}
              value={drafts.resourceType ?? ''}
              onChange={(value) => setDrafts((d) => ({ ...d, resourceType: value ?? '' }))}
              allowDeselect={false}
              w={200}
            />
            <TextInput label="Event type" placeholder="e.g. AccountUpdated" w={200} {...draft('eventType')} />
            <TextInput label="Actor (account uuid)" placeholder="32 hex digits" w={330} ff="monospace" {...draft('accountUuid')} />
            <TextInput label="From" description={TIME_HINT} placeholder="2026-01-15T08:00:00Z" w={250} {...draft('from')} />
            <TextInput label="To" description={TIME_HINT} placeholder="2026-01-15T18:00:00Z" w={250} {...draft('to')} />
          </Group>
          <Group mt="sm" gap="sm">
            <Button type="submit">Apply filters</Button>
            <Group gap={4} role="group" aria-label="Quick time ranges">
              {RECENT_RANGES.map((range) => (
                <Button key={range.label} variant="subtle" size="compact-sm" onClick={() => {
                  const next = cleanFilter({ ...drafts, from: recentFrom(new Date(), range.ms), to: '' });
                  setDrafts(next);
                  apply(next);
                }}>{range.label}</Button>
              ))}
            </Group>
            <Button variant="default" onClick={() => {
              setDrafts({});
              apply({});
            }}>Clear</Button>
          </Group>
        </form>
      </Paper>

      <Group justify="space-between" align="flex-start" wrap="wrap">
        <ExportButton filter={filter} />
        <form
          aria-label="Open a resource's timeline"
          onSubmit={(event) => {
            event.preventDefault();
            const uuid = openUuid.trim();
            if (uuid) void navigate(`/audit/resources/${encodeURIComponent(uuid)}`);
          }}
        >
          <Group gap="xs" align="flex-end">
            <TextInput label="Timeline of a resource (uuid)" value={openUuid} onChange={(e) => setOpenUuid(e.currentTarget.value)} w={290} ff="monospace" />
            <Button type="submit" variant="default">Open timeline</Button>
          </Group>
        </form>
      </Group>

      {filter.resourceUuid ? (
        <Text size="sm">
          <Anchor component={Link} to={`/audit/resources/${filter.resourceUuid}`}>Timeline of resource {filter.resourceUuid}</Anchor>
        </Text>
      ) : null}

      <ApiErrorAlert error={error} onRetry={reload} title="Loading the audit events" />
      {loading && !data ? <Loading label="Loading the audit events" /> : null}
      {data && !error ? (
        <>
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="events-status">
            {data.events.length} event{data.events.length === 1 ? '' : 's'} on this page
            {after ? ` (after log position ${after})` : ' (from the start of the log)'}
            {data.next ? '; more follow' : '; the end of the log'}
            {loading ? ' (refreshing)' : ''}
          </Text>
          <Table.ScrollContainer minWidth={1000}>
            <Table striped highlightOnHover aria-label="Audit events">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Time</Table.Th>
                  <Table.Th scope="col">Type</Table.Th>
                  <Table.Th scope="col">Resource</Table.Th>
                  <Table.Th scope="col">Actor</Table.Th>
                  <Table.Th scope="col">Summary</Table.Th>
                  <Table.Th scope="col"><VisuallyHidden>Details</VisuallyHidden></Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.events.map((e) => (
                  <Table.Tr key={e.position} data-testid="audit-event-row">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm" title={e.occurredAt}>{shownTime(e.occurredAt)}</Text></Table.Td>
                    <Table.Td><Text size="sm" fw={500}>{e.type}</Text></Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">{e.resourceType}</Text>
                      {e.resourceType === 'Login' ? (
                        <Text size="xs" ff="monospace" title={e.resourceUuid}>{shortUuid(e.resourceUuid)}</Text>
                      ) : (
                        <Tooltip label={e.resourceUuid} openDelay={300}>
                          <Anchor component={Link} to={`/audit/resources/${e.resourceUuid}`} size="xs" ff="monospace">
                            <VisuallyHidden>Timeline of {e.resourceType} </VisuallyHidden>{shortUuid(e.resourceUuid)}
                          </Anchor>
                        </Tooltip>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {e.actor?.accountUuid ? (
                        <Anchor component={Link} to={`/audit?${paramsOfFilter({ accountUuid: e.actor.accountUuid }).toString()}`} size="xs" ff="monospace"
                          title={e.actor.accountUuid}>
                          <VisuallyHidden>Events by account </VisuallyHidden>{shortUuid(e.actor.accountUuid)}
                        </Anchor>
                      ) : <Text size="xs">—</Text>}
                      {e.actor?.via ? <Text size="xs" c="dimmed">via {e.actor.via}</Text> : null}
                    </Table.Td>
                    <Table.Td><Text size="sm" lineClamp={2} style={{ wordBreak: 'break-word' }}>{summarizeEvent(e) || '—'}</Text></Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="default" onClick={() => setSelected(e)} aria-label={`Details of ${e.type} at position ${e.position}`}>
                        Details
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {data.events.length === 0 ? (
                  <Table.Tr><Table.Td colSpan={6}><Text c="dimmed" size="sm">No event matches these filters.</Text></Table.Td></Table.Tr>
                ) : null}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group gap="sm" align="flex-end">
            <Button variant="default" disabled={!after} onClick={() => apply(filter)}>Back to the first page</Button>
            <Button variant="default" disabled={!data.next} onClick={() => data.next && apply(filter, data.next)}>Next page</Button>
            <Select
              label="Events per page"
              data={[...new Set([...PAGE_SIZES, limit])].sort((x, y) => x - y).map(String)}
              value={String(limit)}
              onChange={(value) => value && apply(filter, null, Number(value))}
              allowDeselect={false}
              w={140}
              size="xs"
            />
          </Group>
        </>
      ) : null}
      <EventDetails event={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}
