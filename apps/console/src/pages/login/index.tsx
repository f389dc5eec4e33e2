import { Alert, Button, Center, Paper, PasswordInput, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { useSession } from '../../auth/session-context';
import { isLockout } from '../identity/lockout';
import type { Session } from '../../auth/session-store';

/**
 * Log in as an account (LogInByAccount) or as an IAM2 virtual ID (LoginIAM2VirtualID). The password
 * is sent as its SHA-512 hex, as ZStack clients do.
 */
export function LoginPage() {
  const { login, endedBecause } = useSession();
  const [kind, setKind] = useState<Session['kind']>('account');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(kind, name.trim(), password);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="lg" w={380} maw="100%">
        <form onSubmit={(event) => void submit(event)} aria-labelledby="login-title">
          <Stack>
            <Title order={1} size="h3" id="login-title">Log in to the control plane</Title>
            {endedBecause ? (
              <Alert color="yellow" title="Your session ended" role="status">
                <Text size="sm">{endedBecause}</Text>
              </Alert>
            ) : null}
            <SegmentedControl
              aria-label="Log in as"
              value={kind}
              onChange={(value) => setKind(value as Session['kind'])}
              data={[{ value: 'account', label: 'Account' }, { value: 'virtualId', label: 'IAM2 virtual ID' }]}
            />
            <TextInput
              label={kind === 'account' ? 'Account name' : 'Virtual ID name'}
              name="name"
              autoComplete="username"
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <ApiErrorAlert error={error} title={isLockout(error) ? 'Login locked after repeated failures' : 'Login failed'} />
            <Button type="submit" loading={busy}>Log in</Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
