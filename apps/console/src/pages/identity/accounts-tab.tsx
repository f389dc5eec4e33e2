import { Button, Group, Pagination, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useApi, usePermissions, useSession } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';
import { formatTime } from '../../format';
import { ConfirmModal } from '../../components/confirm-modal';
import { CreatePrincipalModal, EditPrincipalModal } from './principal-modals';
import { PasswordModal } from './password-modal';
import { StateBadge } from './state-badge';
import { PAGE_SIZE, type Account, type QueryReply } from './types';

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; account: Account }
  | { kind: 'password'; account: Account }
  | { kind: 'state'; account: Account }
  | { kind: 'delete'; account: Account };

/** The accounts: QueryAccount (the admin sees all, an account itself), create, edit, password, enable/disable, delete. */
export function AccountsTab() {
  const api = useApi();
  const { session, logout } = useSession();
  const { can, isAdmin } = usePermissions();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const name = params.get('name') ?? '';
  const [nameDraft, setNameDraft] = useState(name);
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const { data, error, loading, reload } = useLoad(
    (signal) => api.call<'QueryAccount', QueryReply<Account>>('QueryAccount', {} as never, {
      signal,
      query: { conditions: name ? [`name~=%${name}%`] : [], limit: PAGE_SIZE, start: (page - 1) * PAGE_SIZE, replyWithCount: true, sort: '+name' },
    }),
    [name, page],
  );
  const total = data?.total ?? data?.inventories.length ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const done = () => {
    setDialog(null);
    reload();
  };
  const own = (a: Account) => session?.kind === 'account' && a.uuid === session.accountUuid;
  // The admin edits any account, an account itself; a virtual ID's session (which sees its owner account) none.
  const mayEdit = (a: Account) => can('UpdateAccount') && (isAdmin || own(a));

  const update = async (account: Account, changes: Record<string, string>) => {
    await api.call('UpdateAccount', { uuid: account.uuid, ...changes });
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <form role="search" aria-label="Filter the accounts" onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams(params);
          if (nameDraft.trim()) next.set('name', nameDraft.trim());
          else next.delete('name');
          next.delete('page');
          setParams(next);
        }}>
          <Group align="flex-end">
            <TextInput label="Name contains" value={nameDraft} onChange={(e) => setNameDraft(e.currentTarget.value)} w={220} />
            <Button type="submit" variant="default">Filter</Button>
          </Group>
        </form>
        {can('CreateAccount') ? <Button onClick={() => setDialog({ kind: 'create' })}>New account</Button> : null}
      </Group>
      <ApiErrorAlert error={error} onRetry={reload} title="Loading the accounts" />
      {loading && !data ? <Loading label="Loading the accounts" /> : null}
      {data ? (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">{total} account{total === 1 ? '' : 's'}{loading ? ' (refreshing)' : ''}</Text>
          <Table.ScrollContainer minWidth={900}>
            <Table striped aria-label="Accounts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Type</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col">Description</Table.Th>
                  <Table.Th scope="col">Last change</Table.Th>
                  <Table.Th scope="col">Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.inventories.map((a) => (
                  <Table.Tr key={a.uuid} data-account={a.name}>
                    <Table.Td>{a.name}{own(a) ? <Text span size="xs" c="dimmed"> (you)</Text> : null}</Table.Td>
                    <Table.Td>{a.type}</Table.Td>
                    <Table.Td><StateBadge state={a.state} /></Table.Td>
                    <Table.Td><Text size="sm" lineClamp={2} data-testid="account-description">{a.description || '—'}</Text></Table.Td>
                    <Table.Td>{formatTime(a.lastOpDate)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {mayEdit(a) ? (
                          <>
                            <Button size="compact-xs" variant="default" aria-label={`Edit ${a.name}`} onClick={() => setDialog({ kind: 'edit', account: a })}>Edit</Button>
                            <Button size="compact-xs" variant="default" aria-label={`Change the password of ${a.name}`} onClick={() => setDialog({ kind: 'password', account: a })}>Password</Button>
                          </>
                        ) : null}
                        {isAdmin && a.type !== 'SystemAdmin' ? (
                          <Button size="compact-xs" variant="default" aria-label={`${a.state === 'Enabled' ? 'Disable' : 'Enable'} ${a.name}`}
                            onClick={() => setDialog({ kind: 'state', account: a })}>{a.state === 'Enabled' ? 'Disable' : 'Enable'}</Button>
                        ) : null}
                        {can('DeleteAccount') && a.type !== 'SystemAdmin' ? (
                          <Button size="compact-xs" color="red.9" variant="outline" aria-label={`Delete ${a.name}`} onClick={() => setDialog({ kind: 'delete', account: a })}>Delete</Button>
                        ) : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {data.inventories.length === 0 ? <Table.Tr><Table.Td colSpan={6}><Text size="sm" c="dimmed">No account matches.</Text></Table.Td></Table.Tr> : null}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {pages > 1 ? (
            <Pagination total={pages} value={page} onChange={(n) => {
              const next = new URLSearchParams(params);
              next.set('page', String(n));
              setParams(next);
            }} getControlProps={(control) => ({ 'aria-label': `${control} page` })} getItemProps={(n) => ({ 'aria-label': `Page ${n}` })} />
          ) : null}
        </>
      ) : null}

      {dialog?.kind === 'create' ? (
        <CreatePrincipalModal noun="account" create={(principal) => api.call('CreateAccount', principal)} onClose={() => setDialog(null)} onCreated={done} />
      ) : null}
      {dialog?.kind === 'edit' ? (
        <EditPrincipalModal noun="account" current={dialog.account} onClose={() => setDialog(null)} onSaved={done}
          fixedName={dialog.account.type === 'SystemAdmin' ? 'The built-in admin cannot be renamed.' : undefined}
          save={(changes) => api.call('UpdateAccount', { uuid: dialog.account.uuid, ...changes })} />
      ) : null}
      {dialog?.kind === 'password' ? (
        <PasswordModal whose={`account ${dialog.account.name}`} askCurrent={own(dialog.account)} endsOwnSession={own(dialog.account)} onClose={() => setDialog(null)}
          onSubmit={async (password, oldPassword) => {
            await update(dialog.account, { password, ...(oldPassword ? { oldPassword } : {}) });
            if (own(dialog.account)) await logout();
            else done();
          }} />
      ) : null}
      {dialog?.kind === 'state' ? (
        <ConfirmModal title={`${dialog.account.state === 'Enabled' ? 'Disable' : 'Enable'} the account ${dialog.account.name}?`}
          confirmLabel={dialog.account.state === 'Enabled' ? 'Disable the account' : 'Enable the account'} danger={dialog.account.state === 'Enabled'}
          doing={dialog.account.state === 'Enabled' ? 'Disabling the account' : 'Enabling the account'}
          onClose={() => setDialog(null)} onConfirm={async () => {
            await update(dialog.account, { state: dialog.account.state === 'Enabled' ? 'Disabled' : 'Enabled' });
            done();
          }}
          ends={dialog.account.state === 'Enabled'
            ? `Every session of ${dialog.account.name} ends now, its logins are refused, and requests signed with its access keys are refused (the keys are kept) until it is enabled again.`
            : undefined}>
          {dialog.account.state === 'Enabled' ? `${dialog.account.name} will no longer be able to log in.` : `${dialog.account.name} will be able to log in again.`}
        </ConfirmModal>
      ) : null}
      {dialog?.kind === 'delete' ? (
        <ConfirmModal title={`Delete the account ${dialog.account.name}?`} confirmLabel="Delete the account" danger doing="Deleting the account"
          onClose={() => setDialog(null)} onConfirm={async () => {
            await api.call('DeleteAccount', { uuid: dialog.account.uuid });
            done();
          }}
          ends={`Every session of ${dialog.account.name} ends, and its access keys are deleted: requests signed with them stop working.`}>
          The account is removed for good. Its history stays in the audit log.
        </ConfirmModal>
      ) : null}
    </Stack>
  );
}
