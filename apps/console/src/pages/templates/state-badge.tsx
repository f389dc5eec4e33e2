import { Badge } from '@mantine/core';

/** Greens dark enough for 4.5:1 against white and Mantine's light tints (green.9 is 4.36). */
export const OK_GREEN = '#1e6b30';
export const WARN_ORANGE = '#9a3a00';

export function StateBadge({ state }: { state: string }) {
  return <Badge color={state === 'Enabled' ? OK_GREEN : 'gray.7'} variant="filled">{state}</Badge>;
}
