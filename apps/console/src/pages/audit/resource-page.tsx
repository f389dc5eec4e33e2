import { Alert, Anchor, Badge, Button, Code, Group, Paper, SimpleGrid, Slider, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';
import { DiffView } from './diff-view';
import { FieldsTable } from './fields-table';
import { shortUuid, shownTime } from './format';
import { changeAt, changeText, clampPoint, defaultPair, pointOfPosition, pointText, sliderMarks } from './timeline';
import type { HistoryPoint, ResourceAsOf, ResourceHistory } from './types';

/**
 * A resource's history (`/audit/resources/<uuid>`): its timeline (GetResourceHistory), a slider over
 * it showing the resource as it was at the chosen point (GetResourceAsOf at the point's log
 * position), and the field diff of two points A and B. The chosen points are the URL's
 * (`?at=`, `?a=`, `?b=`: log positions).
 */
export function ResourcePage() {
  const { uuid = '' } = useParams();
  const api = useApi();
  const history = useLoad(
    (signal) => api.call<'GetResourceHistory', ResourceHistory>('GetResourceHistory', { uuid }, { signal }),
    [uuid],
  );
  return (
    <Stack>
      <Group gap="xs">
        <Anchor component={Link} to="/audit" size="sm">Audit</Anchor>
        <Text size="sm" c="dimmed">/ resource</Text>
      </Group>
      <Title order={2}>Resource history{nameOf(history.data) ? `: ${nameOf(history.data)}` : ''}</Title>
      <Group gap="sm">
        <Code data-testid="resource-uuid">{uuid}</Code>
        <Anchor component={Link} to={`/audit?resourceUuid=${encodeURIComponent(uuid)}`} size="sm">Its events in the explorer</Anchor>
      </Group>
      <ApiErrorAlert error={history.error} onRetry={history.reload} title="Loading the resource's history" />
      {history.loading && !history.data ? <Loading label="Loading the resource's history" /> : null}
      {history.data && !history.error ? <History key={uuid} uuid={uuid} points={history.data.history} /> : null}
    </Stack>
  );
}

/** The resource's name in its newest inventory that has one (a deleted resource keeps its last name). */
function nameOf(data: ResourceHistory | null): string | null {
  for (const point of [...(data?.history ?? [])].reverse()) {
    const name = point.inventory?.name;
    if (typeof name === 'string' && name !== '') return name;
  }
  return null;
}

function History({ uuid, points }: { uuid: string; points: HistoryPoint[] }) {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const count = points.length;
  const [index, setIndex] = useState(() => pointOfPosition(points, params.get('at')));
  const pair = defaultPair(points, params.get('a'), params.get('b'));
  useEffect(() => setIndex((i) => clampPoint(i, count)), [count]);

  const setParam = (name: 'at' | 'a' | 'b', position: string) => {
    const next = new URLSearchParams(params);
    next.set(name, position);
    setParams(next, { replace: true });
  };
  const point = points[index] as HistoryPoint | undefined;
  const existed = point?.inventory !== undefined;
  const asOf = useLoad(
    (signal) => (point && existed
      ? api.call<'GetResourceAsOf', ResourceAsOf>('GetResourceAsOf', { uuid, asOf: point.position }, { signal })
      : Promise.resolve(null)),
    [uuid, point?.position, existed],
  );
  if (count === 0) return <Alert color="gray" title="No events">This resource has no event in the log.</Alert>;
  const name = (i: number) => pointText(points[i], i, shownTime);

  return (
    <Stack gap="lg">
      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="xs">Timeline</Title>
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label="Timeline of the resource" verticalSpacing={4} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">#</Table.Th>
                <Table.Th scope="col">Time</Table.Th>
                <Table.Th scope="col">Event</Table.Th>
                <Table.Th scope="col">Changed</Table.Th>
                <Table.Th scope="col">Actor</Table.Th>
                <Table.Th scope="col">Log position</Table.Th>
                <Table.Th scope="col">Show and compare</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {points.map((p, i) => (
                <Table.Tr key={p.position} data-testid="timeline-row" aria-current={i === index ? 'step' : undefined}
                  bg={i === index ? 'var(--mantine-color-blue-light)' : undefined}>
                  <Table.Td>{i + 1}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm" title={p.occurredAt}>{shownTime(p.occurredAt)}</Text></Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500} span>{p.type}</Text>
                    {p.inventory === undefined ? <Badge ml="xs" size="xs" color="gray">gone</Badge> : null}
                  </Table.Td>
                  <Table.Td><ChangeCell points={points} index={i} /></Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" title={p.actor?.accountUuid ?? undefined} span>{shortUuid(p.actor?.accountUuid)}</Text>
                    {p.actor?.via ? <Text size="xs" c="dimmed" span> via {p.actor.via}</Text> : null}
                  </Table.Td>
                  <Table.Td><Text size="xs" ff="monospace">{p.position}</Text></Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant={i === index ? 'filled' : 'default'} onClick={() => { setIndex(i); setParam('at', p.position); }}
                        aria-label={`Show point #${i + 1}`}>Show</Button>
                      <Button size="compact-xs" variant={i === pair.a ? 'filled' : 'default'} color="grape" onClick={() => setParam('a', p.position)}
                        aria-label={`Compare from point #${i + 1} (A)`} aria-pressed={i === pair.a}>A</Button>
                      <Button size="compact-xs" variant={i === pair.b ? 'filled' : 'default'} color="teal" onClick={() => setParam('b', p.position)}
                        aria-label={`Compare to point #${i + 1} (B)`} aria-pressed={i === pair.b}>B</Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="lg">
                  <Paper withBorder p="md">
            <Title order={3} size="h4" mb="xs" id="as-of-title">As it was</Title>
            <Text size="sm" c="dimmed" mb="md" id="slider-help">
              Move the slider (arrow keys, Home, End) to see the resource as it stood after each event.
            </Text>
            <Slider
              min={0}
              max={Math.max(0, count - 1)}
              step={1}
              value={index}
              onChange={(v) => setIndex(clampPoint(v, count))}
              onChangeEnd={(v) => setParam('at', points[clampPoint(v, count)].position)}
              marks={sliderMarks(count)}
              label={(v) => name(clampPoint(v, count))}
              thumbLabel="Point in the resource's history"
              thumbValueText={(v) => name(clampPoint(v, count))}
              thumbProps={{ 'aria-describedby': 'slider-help' } as React.ComponentProps<'div'>}
              disabled={count < 2}
              mb="xl"
              mx="sm"
            />
            <Text size="sm" fw={600} data-testid="as-of-point" aria-live="polite">{point ? name(index) : ''}</Text>
            <Stack gap="xs" mt="xs">
              {!existed ? (
                <Alert color="gray" title="Gone">The resource did not exist after this event (it was deleted).</Alert>
              ) : (
                <>
                  <ApiErrorAlert error={asOf.error} onRetry={asOf.reload} title="Loading the resource as it was" />
                  {asOf.loading && !asOf.data ? <Loading label="Loading the resource as it was" /> : null}
                  {asOf.data && !asOf.error ? (
                    <>
                      <Text size="xs" c="dimmed">As of log position {asOf.data.position}{asOf.loading ? ' (loading)' : ''}</Text>
                      <FieldsTable inventory={asOf.data.inventory} label="The resource as it was" />
                    </>
                  ) : null}
                </>
              )}
            </Stack>
          </Paper>
                  <Paper withBorder p="md">
            <Title order={3} size="h4" mb="xs">Compare two points</Title>
            <Group gap={6} mb="xs" wrap="nowrap">
              <Badge color="grape" variant="filled" size="sm">A</Badge><Text size="sm" data-testid="point-a">{name(pair.a)}</Text>
            </Group>
            <Group gap={6} mb="sm" wrap="nowrap">
              <Badge color="teal" variant="filled" size="sm">B</Badge><Text size="sm" data-testid="point-b">{name(pair.b)}</Text>
            </Group>
            <Text size="xs" c="dimmed" mb="sm">Choose A and B with the buttons of the timeline.</Text>
            <DiffView a={points[pair.a].inventory ?? null} b={points[pair.b].inventory ?? null} aName={`#${pair.a + 1}`} bName={`#${pair.b + 1}`} />
          </Paper>
      </SimpleGrid>
    </Stack>
  );
}

/** What a point changed: the field paths in monospace, a creation or a deletion as a word. */
function ChangeCell({ points, index }: { points: HistoryPoint[]; index: number }) {
  const change = changeAt(points, index);
  return <Text size="sm" ff={change.kind === 'fields' ? 'monospace' : undefined} lineClamp={2}>{changeText(change)}</Text>;
}
