import { Center, Loader, VisuallyHidden } from '@mantine/core';

/** A spinner announced to screen readers by its label. */
export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader size="sm" />
      <VisuallyHidden>{label}</VisuallyHidden>
    </Center>
  );
}
