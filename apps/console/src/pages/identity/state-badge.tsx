import { Badge } from '@mantine/core';

/** Enabled / Disabled / Staled, in colours with 4.5:1 contrast. */
export function StateBadge({ state }: { state: string }) {
  return <Badge color={state === 'Enabled' ? '#1e6b30' : state === 'Disabled' ? 'gray.7' : '#9a3a00'} variant="filled">{state}</Badge>;
}
