import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../auth/session-context';
import { ApiErrorAlert } from '../../components/api-error-alert';
import type { Template } from './types';

/** DeletePreconfigurationTemplate after a confirmation. */
export function DeleteTemplateModal({ template, onClose, onDeleted }: { template: Template; onClose: () => void; onDeleted: () => void }) {
  const api = useApi();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.call('DeletePreconfigurationTemplate', { uuid: template.uuid });
      onDeleted();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={`Delete ${template.name}?`}>
      <Stack>
        <Text size="sm">
          The template and its content are removed; servers can no longer be installed with it. Its history stays in the audit log.
        </Text>
        <ApiErrorAlert error={error} title="Deleting the template" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>Cancel</Button>
          <Button color="red.9" onClick={() => void remove()} loading={busy}>Delete the template</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
