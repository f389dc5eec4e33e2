import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../auth/session-context';
import { ApiErrorAlert } from '../../components/api-error-alert';
import type { Platform } from './types';

/** DeletePlatform after a confirmation that says what is lost: the stored credential's key is destroyed. */
export function DeletePlatformModal({ platform, onClose, onDeleted }: { platform: Platform; onClose: () => void; onDeleted: () => void }) {
  const api = useApi();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.call('DeletePlatform', { uuid: platform.uuid });
      onDeleted();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Delete ${platform.name}?`} closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack>
        <Text size="sm" data-testid="delete-warning">
          The platform is removed and its stored credential is destroyed for good: its data key is deleted (crypto-shredding), so
          the credential kept in old events can no longer be read. Connecting to {platform.hostIp} again needs the credential anew.
        </Text>
        <TextInput label={`Type the platform's name (${platform.name}) to confirm`} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />
        <ApiErrorAlert error={error} title="Deleting the platform" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>Cancel</Button>
          <Button color="red.9" onClick={() => void remove()} loading={busy} disabled={typed !== platform.name}>Delete the platform</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
