import { Alert, Anchor, Button, Group, Paper, Stack, Stepper, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApi, usePermissions } from '../../auth/session-context';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { ConnectionSteps } from './connection-steps';
import { PlatformForm, emptyFields, endpointOf, type PlatformFields } from './platform-form';
import type { ConnectionTest, Platform } from './types';

/**
 * The create wizard: the platform's fields, then TestConnectionDetailed with the same endpoint and
 * credential (its six steps, latency and recommendation), then CreatePlatform. A failed test does not
 * forbid the create (a platform is recorded whether or not negotiation succeeds), it says so.
 */
export function CreatePlatformPage() {
  const api = useApi();
  const { can } = usePermissions();
  const navigate = useNavigate();
  const [fields, setFields] = useState<PlatformFields>(emptyFields);
  const [step, setStep] = useState(0);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (!can('CreatePlatform')) return <Alert color="gray" title="Admin only">Only the admin account creates platforms.</Alert>;

  const runTest = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.call<'TestConnectionDetailed', ConnectionTest>('TestConnectionDetailed', {
        body: {
          productType: fields.productType, endpoint: endpointOf(fields), accessKey: fields.username, secretKey: fields.password,
        },
      });
      setTest(result);
      setStep(1);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const platform = await api.call<'CreatePlatform', Platform>('CreatePlatform', {
        body: {
          name: fields.name.trim(), productType: fields.productType, hostIp: fields.hostIp.trim(), hostPort: Number(fields.hostPort),
          username: fields.username, password: fields.password, useTls: fields.useTls, scope: fields.scope,
          ...(fields.scope === 'region' ? { regionUuid: fields.regionUuid.trim() } : {}),
          features: { syncResource: fields.syncResource, monitoring: fields.monitoring, logCollection: fields.logCollection },
        },
      });
      void navigate(`/platforms/${platform.uuid}`, { state: { created: true } });
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Stack maw={820}>
      <Group justify="space-between">
        <Title order={2}>New platform</Title>
        <Anchor component={Link} to="/platforms">Back to the platforms</Anchor>
      </Group>
      <Stepper active={step} onStepClick={(s) => (s < step ? setStep(s) : undefined)} allowNextStepsSelect={false}>
        <Stepper.Step label="Connection" description="Endpoint and credential">
          <Paper withBorder p="md" mt="md">
            <form onSubmit={(event) => void runTest(event)} aria-label="The platform's connection">
              <Stack>
                <Text size="sm" c="dimmed">
                  The connection is tested first with this endpoint and credential (vSphere: the user and password; ZStack: an
                  AccessKeyID and secret; OpenStack: an application credential id and secret).
                </Text>
                <PlatformForm value={fields} onChange={setFields} disabled={busy} />
                <ApiErrorAlert error={error} title="The connection test failed to run" />
                <Group justify="flex-end">
                  <Button type="submit" loading={busy}>Test the connection</Button>
                </Group>
              </Stack>
            </form>
          </Paper>
        </Stepper.Step>
        <Stepper.Step label="Test" description="Six checks">
          <Paper withBorder p="md" mt="md">
            <Stack>
              {test ? <ConnectionSteps result={test} /> : null}
              {test && !test.success ? (
                <Text size="sm">The platform can be created anyway: it is recorded as disconnected with the error, and probed again.</Text>
              ) : null}
              <ApiErrorAlert error={error} title="Creating the platform" />
              <Group justify="space-between">
                <Button variant="default" onClick={() => setStep(0)} disabled={busy}>Back</Button>
                <Group>
                  <Button variant="default" onClick={() => void runTest()} disabled={busy}>Test again</Button>
                  <Button onClick={() => void create()} loading={busy} color={test?.success ? undefined : '#8a4b00'}>
                    {test?.success ? 'Create the platform' : 'Create anyway'}
                  </Button>
                </Group>
              </Group>
            </Stack>
          </Paper>
        </Stepper.Step>
      </Stepper>
    </Stack>
  );
}
