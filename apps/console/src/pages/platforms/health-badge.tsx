import { Badge } from '@mantine/core';
import type { ShownHealth } from './types';

/** Dark enough for white text (and as text on white) at 4.5:1 or more. */
const COLORS: Record<ShownHealth, string> = { healthy: '#1e6b30', degraded: '#8a4b00', unhealthy: '#b02525', unknown: '#495057' };

/** A health as a badge: its word, never the colour alone. */
export function HealthBadge({ health }: { health: ShownHealth }) {
  return <Badge color={COLORS[health]} variant="filled" data-testid="health-badge">{health}</Badge>;
}

export function StatusBadge({ status }: { status: string }) {
  return <Badge color={status === 'connected' ? '#0b6159' : '#495057'} variant="outline">{status}</Badge>;
}
