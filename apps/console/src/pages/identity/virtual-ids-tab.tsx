import { Anchor, Button, Group, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useApi, usePermissions } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';
import { formatTime } from '../../format';
import { ConfirmModal } from '../../components/confirm-modal';
import { CreatePrincipalModal, EditPrincipalModal } from './principal-modals';
import { PasswordModal } from './password-modal';
import { StateBadge } from './state-badge';
import type { QueryReply, VirtualId, VirtualIdAttribute } from './types';

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; vid: VirtualId }
  | { kind: 'password'; vid: VirtualId }
  | { kind: 'state'; vid: VirtualId }
  | { kind: 'delete'; vid: VirtualId }
  | { kind: 'attribute'; vid: VirtualId; attribute: VirtualIdAttribute }
  | { kind: 'remove-attribute'; vid: VirtualId; attribute: VirtualIdAttribute };

/** IAM2 virtual IDs (QueryIAM2VirtualID) and their attributes; every write is the admin's. */
export function VirtualIdsTab() {
  const api = useApi();
  const { can } = usePermissions();
  const [params, setParams] = useSearchParams();
  const selected = params.get('vid');
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const { data, error, loading, reload } = useLoad(
    (signal) => api.call<'QueryIAM2VirtualID', QueryReply<VirtualId>>('QueryIAM2VirtualID', {} as never, { signal, query: { sort: '+name', limit: 500 } }),
    [],
  );
  const done = () => {
    setDialog(null);
    reload();
  };
  const select = (uuid: string | null) => {
    const next = new URLSearchParams(params);
    if (uuid) next.set('vid', uuid);
    else next.delete('vid');
    setParams(next);
  };
  const current = data?.inventories.find((v) => v.uuid === selected) ?? null;

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">Users that log in by name and password and act within the account that owns them.</Text>
        {can('CreateIAM2VirtualID') ? <Button onClick={() => setDialog({ kind: 'create' })}>New virtual ID</Button> : null}
      </Group>
      <ApiErrorAlert error={error} onRetry={reload} title="Loading the virtual IDs" />
      {loading && !data ? <Loading label="Loading the virtual IDs" /> : null}
      {data ? (
        <Table.ScrollContainer minWidth={900}>
          <Table striped aria-label="Virtual IDs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                <Table.Th scope="col">Description</Table.Th>
                <Table.Th scope="col">Attributes</Table.Th>
                <Table.Th scope="col">Last change</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.inventories.map((v) => (
                <Table.Tr key={v.uuid} data-virtual-id={v.name}>
                  <Table.Td>
                    <Anchor component="button" type="button" onClick={() => select(v.uuid)} aria-current={v.uuid === selected ? 'true' : undefined}>{v.name}</Anchor>
                  </Table.Td>
                  <Table.Td><StateBadge state={v.state} /></Table.Td>
                  <Table.Td><Text size="sm" lineClamp={2}>{v.description || '—'}</Text></Table.Td>
                  <Table.Td>{v.attributes.length}</Table.Td>
                  <Table.Td>{formatTime(v.lastOpDate)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {can('UpdateIAM2VirtualID') ? (
                        <>
                          <Button size="compact-xs" variant="default" aria-label={`Edit ${v.name}`} onClick={() => setDialog({ kind: 'edit', vid: v })}>Edit</Button>
                          <Button size="compact-xs" variant="default" aria-label={`Change the password of ${v.name}`} onClick={() => setDialog({ kind: 'password', vid: v })}>Password</Button>
                        </>
                      ) : null}
                      {can('ChangeIAM2VirtualIDState') ? (
                        <Button size="compact-xs" variant="default" aria-label={`${v.state === 'Enabled' ? 'Disable' : 'Enable'} ${v.name}`}
                          onClick={() => setDialog({ kind: 'state', vid: v })}>{v.state === 'Enabled' ? 'Disable' : 'Enable'}</Button>
                      ) : null}
                      {can('DeleteIAM2VirtualID') ? (
                        <Button size="compact-xs" color="red.9" variant="outline" aria-label={`Delete ${v.name}`} onClick={() => setDialog({ kind: 'delete', vid: v })}>Delete</Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
              {data.inventories.length === 0 ? <Table.Tr><Table.Td colSpan={6}><Text size="sm" c="dimmed">No virtual ID.</Text></Table.Td></Table.Tr> : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {current ? <Attributes vid={current} onChanged={reload} onDialog={setDialog} onClose={() => select(null)} /> : null}

      {dialog?.kind === 'create' ? (
        <CreatePrincipalModal noun="virtual ID" create={(principal) => api.call('CreateIAM2VirtualID', principal)} onClose={() => setDialog(null)} onCreated={done} />
      ) : null}
      {dialog?.kind === 'edit' ? (
        <EditPrincipalModal noun="virtual ID" current={dialog.vid} onClose={() => setDialog(null)} onSaved={done}
          save={(changes) => api.call('UpdateIAM2VirtualID', { uuid: dialog.vid.uuid, ...changes })} />
      ) : null}
      {dialog?.kind === 'password' ? (
        <PasswordModal whose={`virtual ID ${dialog.vid.name}`} askCurrent={false} endsOwnSession={false} onClose={() => setDialog(null)}
          onSubmit={async (password) => {
            await api.call('UpdateIAM2VirtualID', { uuid: dialog.vid.uuid, password });
            done();
          }} />
      ) : null}
      {dialog?.kind === 'state' ? (
        <ConfirmModal title={`${dialog.vid.state === 'Enabled' ? 'Disable' : 'Enable'} the virtual ID ${dialog.vid.name}?`}
          confirmLabel={dialog.vid.state === 'Enabled' ? 'Disable the virtual ID' : 'Enable the virtual ID'} danger={dialog.vid.state === 'Enabled'}
          doing={dialog.vid.state === 'Enabled' ? 'Disabling the virtual ID' : 'Enabling the virtual ID'} onClose={() => setDialog(null)}
          onConfirm={async () => {
            await api.call('ChangeIAM2VirtualIDState', { uuid: dialog.vid.uuid, stateEvent: dialog.vid.state === 'Enabled' ? 'disable' : 'enable' });
            done();
          }}
          ends={dialog.vid.state === 'Enabled' ? `Every session of ${dialog.vid.name} ends now, and its logins are refused until it is enabled again.` : undefined}>
          {dialog.vid.state === 'Enabled' ? `${dialog.vid.name} will no longer be able to log in.` : `${dialog.vid.name} will be able to log in again.`}
        </ConfirmModal>
      ) : null}
      {dialog?.kind === 'delete' ? (
        <ConfirmModal title={`Delete the virtual ID ${dialog.vid.name}?`} confirmLabel="Delete the virtual ID" danger doing="Deleting the virtual ID"
          onClose={() => setDialog(null)} onConfirm={async () => {
            await api.call('DeleteIAM2VirtualID', { uuid: dialog.vid.uuid });
            if (dialog.vid.uuid === selected) select(null);
            done();
          }}
          ends={`Every session of ${dialog.vid.name} ends.`}>
          The virtual ID and its attributes are removed. Its history stays in the audit log.
        </ConfirmModal>
      ) : null}
      {dialog?.kind === 'attribute' ? <AttributeValueModal attribute={dialog.attribute} onClose={() => setDialog(null)} onSaved={done} /> : null}
      {dialog?.kind === 'remove-attribute' ? (
        <ConfirmModal title={`Remove the attribute ${dialog.attribute.name}?`} confirmLabel="Remove the attribute" danger doing="Removing the attribute"
          onClose={() => setDialog(null)} onConfirm={async () => {
            await api.call('RemoveAttributesFromIAM2VirtualID', { uuid: dialog.vid.uuid, attributeUuids: [dialog.attribute.uuid] });
            done();
          }}>
          {`The attribute ${dialog.attribute.name}${dialog.attribute.value ? ` = ${dialog.attribute.value}` : ''} is removed from ${dialog.vid.name}.`}
        </ConfirmModal>
      ) : null}
    </Stack>
  );
}

function Attributes({ vid, onChanged, onDialog, onClose }: {
  vid: VirtualId; onChanged: () => void; onDialog: (d: Dialog) => void; onClose: () => void;
}) {
  const api = useApi();
  const { can } = usePermissions();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('AddAttributesToIAM2VirtualID', { uuid: vid.uuid, attributes: [{ name: name.trim(), ...(value ? { value } : {}) }] });
      setName('');
      setValue('');
      onChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="attributes-title">
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4" id="attributes-title">Attributes of {vid.name}</Title>
          <Button size="xs" variant="subtle" onClick={onClose}>Close</Button>
        </Group>
        <Table aria-label={`Attributes of ${vid.name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Value</Table.Th>
              <Table.Th scope="col">Type</Table.Th>
              <Table.Th scope="col">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {vid.attributes.map((a) => (
              <Table.Tr key={a.uuid} data-attribute={a.name}>
                <Table.Td>{a.name}</Table.Td>
                <Table.Td><Text size="sm" ff="monospace" data-testid="attribute-value">{a.value ?? '—'}</Text></Table.Td>
                <Table.Td>{a.type}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {can('UpdateIAM2VirtualIDAttribute') ? (
                      <Button size="compact-xs" variant="default" aria-label={`Change value of ${a.name}`} onClick={() => onDialog({ kind: 'attribute', vid, attribute: a })}>Change value</Button>
                    ) : null}
                    {can('RemoveAttributesFromIAM2VirtualID') ? (
                      <Button size="compact-xs" variant="outline" color="red.9" aria-label={`Remove ${a.name}`} onClick={() => onDialog({ kind: 'remove-attribute', vid, attribute: a })}>Remove</Button>
                    ) : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
            {vid.attributes.length === 0 ? <Table.Tr><Table.Td colSpan={4}><Text size="sm" c="dimmed">No attribute.</Text></Table.Td></Table.Tr> : null}
          </Table.Tbody>
        </Table>
        {can('AddAttributesToIAM2VirtualID') ? (
          <form aria-label="Add an attribute" onSubmit={(e) => void add(e)}>
            <Group align="flex-end">
              <TextInput label="Attribute name" required maxLength={255} value={name} onChange={(e) => setName(e.currentTarget.value)} />
              <TextInput label="Attribute value" maxLength={2048} value={value} onChange={(e) => setValue(e.currentTarget.value)} />
              <Button type="submit" variant="default" loading={busy} disabled={name.trim() === ''}>Add the attribute</Button>
            </Group>
          </form>
        ) : null}
        <ApiErrorAlert error={error} title="Adding the attribute" />
      </Stack>
    </Paper>
  );
}

function AttributeValueModal({ attribute, onClose, onSaved }: { attribute: VirtualIdAttribute; onClose: () => void; onSaved: () => void }) {
  const api = useApi();
  const [value, setValue] = useState(attribute.value ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('UpdateIAM2VirtualIDAttribute', { uuid: attribute.uuid, value });
      onSaved();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={`Change the value of ${attribute.name}`}>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <TextInput label="Value" required maxLength={2048} value={value} onChange={(e) => setValue(e.currentTarget.value)} data-autofocus />
          <ApiErrorAlert error={error} title="Changing the attribute" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>Cancel</Button>
            <Button type="submit" loading={busy}>Save</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
