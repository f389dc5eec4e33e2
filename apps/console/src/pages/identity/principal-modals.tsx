import { Button, Group, Modal, PasswordInput, Stack, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { hashPassword } from '../../auth/password';
import { ApiErrorAlert } from '../../components/api-error-alert';

/** What CreateAccount and CreateIAM2VirtualID both take. */
export interface NewPrincipal {
  name: string;
  /** SHA-512 hex, as ZStack clients send it. */
  password: string;
  description?: string;
}

/**
 * A new account or IAM2 virtual ID: a name, an optional description, the password typed twice (sent
 * as its SHA-512 hex). `create` makes the call; its failure is shown in the dialog.
 */
export function CreatePrincipalModal({ noun, create, onClose, onCreated }: {
  noun: 'account' | 'virtual ID';
  create: (principal: NewPrincipal) => Promise<unknown>;
  onClose: () => void;
  onCreated: () => void;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== again) return;
    setBusy(true);
    setError(null);
    try {
      await create({ name: name.trim(), password: await hashPassword(password), ...(description.trim() ? { description: description.trim() } : {}) });
      onCreated();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={`New ${noun}`}>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <TextInput label="Name" required maxLength={255} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Textarea label="Description" maxLength={2048} autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <PasswordInput label="Password" required autoComplete="new-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <PasswordInput label="Password again" required autoComplete="new-password" value={again} onChange={(e) => setAgain(e.currentTarget.value)}
            error={again !== '' && again !== password ? 'The two passwords differ' : undefined} />
          <ApiErrorAlert error={error} title={`Creating the ${noun}`} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>Cancel</Button>
            <Button type="submit" loading={busy} disabled={password === '' || password !== again}>{`Create the ${noun}`}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** What UpdateAccount and UpdateIAM2VirtualID both take besides the uuid: only what changed. */
export interface PrincipalChanges {
  name?: string;
  description?: string;
}

/**
 * An account's or virtual ID's name and description. `save` gets only what changed (Save is off
 * while nothing has); `fixedName`, when given, keeps the name read-only and says why.
 */
export function EditPrincipalModal({ noun, current, fixedName, save, onClose, onSaved }: {
  noun: 'account' | 'virtual ID';
  current: { name: string; description?: string | null };
  fixedName?: string;
  save: (changes: PrincipalChanges) => Promise<unknown>;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(current.name);
  const [description, setDescription] = useState(current.description ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const changes: PrincipalChanges = {
    ...(name.trim() !== current.name ? { name: name.trim() } : {}),
    ...(description.trim() !== (current.description ?? '') ? { description: description.trim() } : {}),
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await save(changes);
      onSaved();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={`Edit the ${noun} ${current.name}`}>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <TextInput label="Name" required maxLength={255} value={name} readOnly={fixedName !== undefined} description={fixedName}
            onChange={(e) => setName(e.currentTarget.value)} />
          <Textarea label="Description" maxLength={2048} autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <ApiErrorAlert error={error} title={`Saving the ${noun}`} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>Cancel</Button>
            <Button type="submit" loading={busy} disabled={Object.keys(changes).length === 0}>Save</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
