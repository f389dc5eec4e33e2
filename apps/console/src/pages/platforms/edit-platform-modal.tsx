import { Button, Group, Modal, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../auth/session-context';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { PlatformForm, emptyFields, type PlatformFields } from './platform-form';
import type { Platform } from './types';

/** UpdatePlatform: only the fields that changed are sent; a username and password together replace the credential. */
export function EditPlatformModal({ platform, onClose, onSaved }: { platform: Platform; onClose: () => void; onSaved: () => void }) {
  const api = useApi();
  const initial: PlatformFields = {
    ...emptyFields(), name: platform.name, productType: platform.productType, hostIp: platform.hostIp, hostPort: platform.hostPort,
    useTls: platform.useTls ?? platform.productType !== 'zstack', scope: platform.scope, regionUuid: platform.regionUuid,
    syncResource: platform.features.syncResource ?? true, monitoring: platform.features.monitoring ?? true,
    logCollection: platform.features.logCollection ?? false,
  };
  const [fields, setFields] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = {};
    if (fields.name.trim() !== initial.name) body.name = fields.name.trim();
    if (fields.hostIp.trim() !== initial.hostIp) body.hostIp = fields.hostIp.trim();
    if (Number(fields.hostPort) !== initial.hostPort) body.hostPort = Number(fields.hostPort);
    if (fields.useTls !== initial.useTls) body.useTls = fields.useTls;
    if (fields.scope !== initial.scope || fields.regionUuid !== initial.regionUuid) {
      body.scope = fields.scope;
      body.regionUuid = fields.scope === 'region' ? fields.regionUuid.trim() : '';
    }
    if (fields.syncResource !== initial.syncResource || fields.monitoring !== initial.monitoring || fields.logCollection !== initial.logCollection) {
      body.features = { syncResource: fields.syncResource, monitoring: fields.monitoring, logCollection: fields.logCollection };
    }
    if (fields.username || fields.password) {
      body.username = fields.username;
      body.password = fields.password;
    }
    setBusy(true);
    setError(null);
    try {
      await api.call('UpdatePlatform', { uuid: platform.uuid, body });
      onSaved();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Edit ${platform.name}`} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={(event) => void save(event)} aria-label={`Edit ${platform.name}`}>
        <Stack>
          <PlatformForm value={fields} onChange={setFields} editing disabled={busy} />
          <ApiErrorAlert error={error} title="Saving the platform" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>Cancel</Button>
            <Button type="submit" loading={busy}>Save</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
