import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert, Button, Code, Stack, Text } from '@mantine/core';

interface State {
  error: Error | null;
}

/** A page that throws while rendering shows what broke and a way back, instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('console page failed', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <Alert color="red" title="This page failed" role="alert" m="md">
        <Stack gap="xs">
          <Text size="sm"><Code>{error.name}</Code> {error.message}</Text>
          <Button size="xs" variant="default" w="fit-content" onClick={() => this.setState({ error: null })}>Try again</Button>
        </Stack>
      </Alert>
    );
  }
}
