import { Stack, Table, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { formatTime } from '../../format';
import { LEVELS, healthTimeline } from './health-timeline';
import type { HealthHistoryEntry } from './types';

const WIDTH = 760;
const HEIGHT = 200;
const PAD = { left: 90, right: 16, top: 16, bottom: 40 };
const LEVEL_COLOR: Record<string, string> = { healthy: '#2b8a3e', degraded: '#b35c00', unhealthy: '#c92a2a' };

/**
 * The health history as an SVG step chart (health level over time, status changes as marks), with a
 * title and a description for assistive technology, and the same data as a table below it.
 */
export function HealthChart({ name, history, now = Date.now() }: { name: string; history: readonly HealthHistoryEntry[]; now?: number }) {
  const titleId = useId();
  const descId = useId();
  const timeline = healthTimeline(history, now);
  if (!timeline) return <Text c="dimmed">No health history yet.</Text>;
  const { start, end, segments, statusMarks } = timeline;
  const x = (t: number) => PAD.left + ((t - start) / (end - start)) * (WIDTH - PAD.left - PAD.right);
  const band = (HEIGHT - PAD.top - PAD.bottom) / (LEVELS.length - 1);
  const y = (health: string) => PAD.top + LEVELS.indexOf(health as never) * band;
  const points = segments.flatMap((s) => [`${x(s.from)},${y(s.health)}`, `${x(s.to)},${y(s.health)}`]).join(' ');
  const changes = segments.length;
  const summary = `${changes} health state${changes === 1 ? '' : 's'} from ${formatTime(new Date(start).toISOString())} to now; `
    + `currently ${segments[segments.length - 1]?.health ?? 'unknown'}; ${statusMarks.length} status change${statusMarks.length === 1 ? '' : 's'}.`;
  const ticks = [start, start + (end - start) / 2, end];

  return (
    <Stack gap="xs">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={`${titleId} ${descId}`} data-testid="health-chart"
        style={{ maxWidth: WIDTH, border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }}>
        <title id={titleId}>{`Health history of ${name}`}</title>
        <desc id={descId}>{summary}</desc>
        {LEVELS.map((level) => (
          <g key={level}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(level)} y2={y(level)} stroke="#dee2e6" strokeDasharray="4 4" />
            <text x={PAD.left - 8} y={y(level) + 4} textAnchor="end" fontSize="12" fill="#212529">{level}</text>
          </g>
        ))}
        {ticks.map((t, i) => (
          <text key={t} x={x(t)} y={HEIGHT - 12} textAnchor={i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle'} fontSize="11" fill="#495057">
            {new Date(t).toLocaleTimeString()}
          </text>
        ))}
        {statusMarks.map((m) => (
          <g key={`${m.at}-${m.status}`}>
            <line x1={x(m.at)} x2={x(m.at)} y1={PAD.top - 8} y2={HEIGHT - PAD.bottom + 6} stroke="#1864ab" strokeWidth="1.5" />
            <title>{`${formatTime(new Date(m.at).toISOString())}: ${m.status} (${m.reason})`}</title>
          </g>
        ))}
        <polyline points={points} fill="none" stroke="#343a40" strokeWidth="2.5" />
        {segments.map((s) => (
          <circle key={s.from} cx={x(s.from)} cy={y(s.health)} r="4.5" fill={LEVEL_COLOR[s.health]}>
            <title>{`${formatTime(new Date(s.from).toISOString())}: ${s.health}`}</title>
          </circle>
        ))}
      </svg>
      <Text size="xs" c="dimmed">Dots: health changes; blue lines: status changes (connected / disconnected).</Text>
      <Title order={4}>Changes</Title>
      <Table.ScrollContainer minWidth={600}>
        <Table data-testid="health-history-table">
          <Table.Caption>Health history of {name}: the creation, then every change of health or status</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">Change</Table.Th>
              <Table.Th scope="col">From</Table.Th>
              <Table.Th scope="col">Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.map((e) => (
              <Table.Tr key={e.position}>
                <Table.Td>{formatTime(e.at)}</Table.Td>
                <Table.Td>{[e.healthStatus ? `health ${e.healthStatus}` : null, e.status ? `status ${e.status}` : null].filter(Boolean).join(', ')}</Table.Td>
                <Table.Td>{e.previous ?? '—'}</Table.Td>
                <Table.Td><Text size="sm">{e.reason}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
