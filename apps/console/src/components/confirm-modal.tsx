import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ApiErrorAlert } from './api-error-alert';

interface Props {
  title: string;
  /** What the action does. */
  children: ReactNode;
  /** What it ends (sessions, keys): said in a warning box. */
  ends?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  /** What the failure is about, for the error's title. */
  doing: string;
}

/** A confirmation that says what the action ends, runs it, and shows its refusal (code and text) in place. */
export function ConfirmModal({ title, children, ends, confirmLabel, danger = false, onConfirm, onClose, doing }: Props) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={title}>
      <Stack>
        <Text size="sm" component="div">{children}</Text>
        {ends ? <Alert color="orange" variant="light" title="What this ends" data-testid="what-ends"><Text size="sm" component="div">{ends}</Text></Alert> : null}
        <ApiErrorAlert error={error} title={doing} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>Cancel</Button>
          <Button color={danger ? 'red.9' : undefined} onClick={() => void run()} loading={busy}>{confirmLabel}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
