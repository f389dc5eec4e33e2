import { Button, Code, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useApi, usePermissions, useSession } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';
import { formatTime } from '../../format';
import { ConfirmModal } from '../../components/confirm-modal';
import { SecretDialog } from './secret-dialog';
import { StateBadge } from './state-badge';
import type { AccessKey, Account, QueryReply } from './types';

type Dialog = { kind: 'create' } | { kind: 'state'; key: AccessKey } | { kind: 'delete'; key: AccessKey };

/**
 * Access keys (QueryAccessKey: the admin's view is every key, an account's its own): create (the
 * secret shown once), enable/disable, delete. A virtual ID's session manages none (a key acts as the whole account).
 */
export function AccessKeysTab() {
  const api = useApi();
  const { session } = useSession();
  const { isAdmin, can } = usePermissions();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [created, setCreated] = useState<{ accessKeyId: string; secret: string } | null>(null);
  const managesKeys = session?.kind === 'account' && can('CreateAccessKey');

  const keys = useLoad(
    (signal) => api.call<'QueryAccessKey', QueryReply<AccessKey>>('QueryAccessKey', {} as never, { signal, query: { sort: '+createDate', limit: 1000 } }),
    [],
  );
  const accounts = useLoad(
    (signal) => api.call<'QueryAccount', QueryReply<Account>>('QueryAccount', {} as never, { signal, query: { limit: 1000, sort: '+name' } }),
    [],
  );
  const nameOf = (uuid: string) => accounts.data?.inventories.find((a) => a.uuid === uuid)?.name ?? uuid;
  const done = () => {
    setDialog(null);
    keys.reload();
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">Keys sign requests (ZStack&apos;s AccessKeyID and secret) instead of a login; at most 2 per account.</Text>
        {managesKeys ? <Button onClick={() => setDialog({ kind: 'create' })}>New access key</Button> : null}
      </Group>
      <ApiErrorAlert error={keys.error} onRetry={keys.reload} title="Loading the access keys" />
      {keys.loading && !keys.data ? <Loading label="Loading the access keys" /> : null}
      {keys.data ? (
        <Table.ScrollContainer minWidth={900}>
          <Table striped aria-label="Access keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">AccessKeyID</Table.Th>
                <Table.Th scope="col">Account</Table.Th>
                <Table.Th scope="col">Description</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                <Table.Th scope="col">Created</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.data.inventories.map((k) => (
                <Table.Tr key={k.uuid} data-access-key={k.AccessKeyID}>
                  <Table.Td><Code>{k.AccessKeyID}</Code></Table.Td>
                  <Table.Td>{nameOf(k.accountUuid)}</Table.Td>
                  <Table.Td><Text size="sm" lineClamp={2}>{k.description || '—'}</Text></Table.Td>
                  <Table.Td><StateBadge state={k.state} /></Table.Td>
                  <Table.Td>{formatTime(k.createDate)}</Table.Td>
                  <Table.Td>
                    {managesKeys ? (
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-xs" variant="default" aria-label={`${k.state === 'Enabled' ? 'Disable' : 'Enable'} the key ${k.AccessKeyID}`}
                          onClick={() => setDialog({ kind: 'state', key: k })}>{k.state === 'Enabled' ? 'Disable' : 'Enable'}</Button>
                        <Button size="compact-xs" variant="outline" color="red.9" aria-label={`Delete the key ${k.AccessKeyID}`}
                          onClick={() => setDialog({ kind: 'delete', key: k })}>Delete</Button>
                      </Group>
                    ) : '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
              {keys.data.inventories.length === 0 ? <Table.Tr><Table.Td colSpan={6}><Text size="sm" c="dimmed">No access key.</Text></Table.Td></Table.Tr> : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}

      {dialog?.kind === 'create' && session ? (
        <CreateKeyModal ownAccount={session.accountUuid} accounts={isAdmin ? accounts.data?.inventories ?? [] : []} onClose={() => setDialog(null)}
          onCreated={(key) => {
            setDialog(null);
            setCreated({ accessKeyId: key.AccessKeyID, secret: key.AccessKeySecret ?? '' });
            keys.reload();
          }} />
      ) : null}
      {/* Dropped on close: the secret is in no state once the dialog is gone. */}
      {created ? <SecretDialog accessKeyId={created.accessKeyId} secret={created.secret} onClose={() => setCreated(null)} /> : null}
      {dialog?.kind === 'state' ? (
        <ConfirmModal title={`${dialog.key.state === 'Enabled' ? 'Disable' : 'Enable'} the key ${dialog.key.AccessKeyID}?`}
          confirmLabel={dialog.key.state === 'Enabled' ? 'Disable the key' : 'Enable the key'} danger={dialog.key.state === 'Enabled'}
          doing={dialog.key.state === 'Enabled' ? 'Disabling the key' : 'Enabling the key'} onClose={() => setDialog(null)}
          onConfirm={async () => {
            await api.call('ChangeAccessKeyState', { uuid: dialog.key.uuid, stateEvent: dialog.key.state === 'Enabled' ? 'disable' : 'enable' });
            done();
          }}
          ends={dialog.key.state === 'Enabled' ? 'Requests signed with this key are refused until it is enabled again.' : undefined}>
          {dialog.key.state === 'Enabled' ? 'The key is kept, with its secret, but refused.' : 'Requests signed with the key are accepted again.'}
        </ConfirmModal>
      ) : null}
      {dialog?.kind === 'delete' ? (
        <ConfirmModal title={`Delete the key ${dialog.key.AccessKeyID}?`} confirmLabel="Delete the key" danger doing="Deleting the key"
          onClose={() => setDialog(null)} onConfirm={async () => {
            await api.call('DeleteAccessKey', { uuid: dialog.key.uuid });
            done();
          }}
          ends="Requests signed with this key stop working for good; its secret cannot be recovered.">
          The key is removed.
        </ConfirmModal>
      ) : null}
    </Stack>
  );
}

function CreateKeyModal({ ownAccount, accounts, onClose, onCreated }: {
  ownAccount: string; accounts: Account[]; onClose: () => void; onCreated: (key: AccessKey) => void;
}) {
  const api = useApi();
  const [accountUuid, setAccountUuid] = useState(ownAccount);
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const reply = await api.call<'CreateAccessKey', { inventory: AccessKey }>('CreateAccessKey', {
        accountUuid, ...(description.trim() ? { description: description.trim() } : {}),
      });
      onCreated(reply.inventory);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title="New access key">
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          {accounts.length > 0 ? (
            <Select label="Account" required allowDeselect={false} searchable value={accountUuid} onChange={(v) => v && setAccountUuid(v)}
              data={accounts.map((a) => ({ value: a.uuid, label: a.name }))} />
          ) : null}
          <TextInput label="Description" maxLength={2048} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Text size="sm" c="dimmed">The control plane generates the AccessKeyID and the secret; the secret is shown once, right after.</Text>
          <ApiErrorAlert error={error} title="Creating the access key" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>Cancel</Button>
            <Button type="submit" loading={busy}>Create the key</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
