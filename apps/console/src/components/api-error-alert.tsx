import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { ApiError, UnavailableError } from '../api/errors';

interface Props {
  error: unknown;
  /** Shown as a "Try again" button when given. */
  onRetry?: () => void;
  /** What was being done, e.g. "Loading the platforms". */
  title?: string;
}

/**
 * An API failure next to what caused it: the code, the description and the details of an ApiError;
 * for an UnavailableError a retryable "cannot reach" state; any other error with its message.
 */
export function ApiErrorAlert({ error, onRetry, title }: Props) {
  if (error === null || error === undefined) return null;
  if (error instanceof UnavailableError) return <UnavailableAlert reason={error.reason} onRetry={onRetry} title={title} />;
  const api = error instanceof ApiError ? error : null;
  return (
    <Alert color="red" title={title ?? 'The request failed'} role="alert" variant="light">
      <Stack gap={4}>
        {api ? (
          <Text size="sm">
            <Code data-testid="error-code">{api.code}</Code> {api.description}
          </Text>
        ) : (
          <Text size="sm">{(error as Error).message ?? String(error)}</Text>
        )}
        {api?.details ? <Text size="sm" c="dimmed" data-testid="error-details">{api.details}</Text> : null}
        {onRetry ? (
          <Group>
            <Button size="xs" variant="default" onClick={onRetry}>Try again</Button>
          </Group>
        ) : null}
      </Stack>
    </Alert>
  );
}

/** The control plane cannot be reached: a retryable state (never a blank page). */
export function UnavailableAlert({ reason, onRetry, title }: { reason: string; onRetry?: () => void; title?: string }) {
  return (
    <Alert color="orange" title={title ? `${title}: unavailable` : 'The control plane is unavailable'} role="alert" variant="light">
      <Stack gap={4}>
        <Text size="sm">{reason}</Text>
        <Text size="sm" c="dimmed">This is usually temporary (a restart, a network hiccup).</Text>
        {onRetry ? (
          <Group>
            <Button size="xs" variant="default" onClick={onRetry}>Try again</Button>
          </Group>
        ) : null}
      </Stack>
    </Alert>
  );
}
