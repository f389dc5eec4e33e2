import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { hashPassword } from '../../auth/password';
import { ApiErrorAlert } from '../../components/api-error-alert';

interface Props {
  /** Whose password: "account console-user", "virtual ID alice". */
  whose: string;
  /** Ask the current password (one's own): the server checks it. */
  askCurrent: boolean;
  /** Sends the SHA-512 hex of the new (and current) password. */
  onSubmit: (password: string, oldPassword?: string) => Promise<void>;
  onClose: () => void;
  /** Whether this ends the caller's own session too. */
  endsOwnSession: boolean;
}

/** A new password, typed twice; sent as SHA-512 hex (as ZStack clients do). Says that every session of its owner ends. */
export function PasswordModal({ whose, askCurrent, onSubmit, onClose, endsOwnSession }: Props) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = again !== '' && next !== again;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next === '' || next !== again) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(await hashPassword(next), askCurrent ? await hashPassword(current) : undefined);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={`Change the password of ${whose}`}>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          {askCurrent ? (
            <PasswordInput label="Current password" required autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.currentTarget.value)} />
          ) : null}
          <PasswordInput label="New password" required autoComplete="new-password" value={next} onChange={(e) => setNext(e.currentTarget.value)} />
          <PasswordInput label="New password again" required autoComplete="new-password" value={again} onChange={(e) => setAgain(e.currentTarget.value)}
            error={mismatch ? 'The two passwords differ' : undefined} />
          <Alert color="orange" variant="light" title="What this ends" data-testid="what-ends">
            <Text size="sm">
              Every session of the {whose} ends: whoever is logged in as it must log in again with the new password.
              {endsOwnSession ? ' That includes this session: you will be sent to the login page.' : ''}
            </Text>
          </Alert>
          <ApiErrorAlert error={error} title="Changing the password" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>Cancel</Button>
            <Button type="submit" loading={busy} disabled={next === '' || next !== again}>Change the password</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
