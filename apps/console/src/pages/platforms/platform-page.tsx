import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useApi, usePermissions } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';
import { formatTime } from '../../format';
import { DeletePlatformModal } from './delete-platform-modal';
import { EditPlatformModal } from './edit-platform-modal';
import { HealthBadge, StatusBadge } from './health-badge';
import { HealthChart } from './health-chart';
import { PRODUCT_LABELS, shownHealth, type HealthHistoryEntry, type Platform } from './types';

/** One platform: its details, its health history (chart and table), and the admin's actions. */
export function PlatformPage() {
  const { uuid = '' } = useParams();
  const api = useApi();
  const { can } = usePermissions();
  const navigate = useNavigate();
  const location = useLocation();
  // "Created" is said once: the history entry's state is dropped, so a reload or Back does not say it again.
  const [created] = useState(() => (location.state as { created?: boolean } | null)?.created === true);
  useEffect(() => {
    if (created) void navigate(location.pathname, { replace: true, state: null });
  }, [created, navigate, location.pathname]);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [testing, setTesting] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);

  const platform = useLoad((signal) => api.call<'GetPlatform', Platform>('GetPlatform', { uuid }, { signal }), [uuid]);
  const history = useLoad(
    (signal) => api.call<'GetPlatformHealthHistory', { history: HealthHistoryEntry[] }>('GetPlatformHealthHistory', { uuid }, { signal }),
    [uuid],
  );
  const reload = () => {
    platform.reload();
    history.reload();
  };

  const testConnection = async () => {
    setTesting(true);
    setActionError(null);
    try {
      await api.call('TestPlatformConnection', { uuid });
      reload();
    } catch (failure) {
      setActionError(failure);
    } finally {
      setTesting(false);
    }
  };

  const p = platform.data;
  return (
    <Stack>
      <Anchor component={Link} to="/platforms" size="sm">Back to the platforms</Anchor>
      <ApiErrorAlert error={platform.error} onRetry={platform.reload} title="Loading the platform" />
      {platform.loading && !p ? <Loading label="Loading the platform" /> : null}
      {p ? (
        <>
          <Group justify="space-between" align="flex-start">
            <Stack gap={4}>
              <Title order={2}>{p.name}</Title>
              <Group gap="xs">
                <HealthBadge health={shownHealth(p)} />
                <StatusBadge status={p.status} />
                <Text size="sm" c="dimmed">{PRODUCT_LABELS[p.productType] ?? p.productType}</Text>
              </Group>
            </Stack>
            <Group>
              {can('TestPlatformConnection') ? <Button variant="default" onClick={() => void testConnection()} loading={testing}>Test the connection</Button> : null}
              {can('UpdatePlatform') ? <Button variant="default" onClick={() => setEditing(true)}>Edit</Button> : null}
              {can('DeletePlatform') ? <Button color="red.9" variant="outline" onClick={() => setDeleting(true)}>Delete</Button> : null}
            </Group>
          </Group>
          {created ? <Alert color="green" title="Platform created" role="status">{p.name} was created ({p.status}).</Alert> : null}
          <ApiErrorAlert error={actionError} title="The action failed" />
          <Paper withBorder p="md">
            <Table variant="vertical" layout="fixed" data-testid="platform-details">
              <Table.Tbody>
                <Row label="uuid"><Text ff="monospace" size="sm">{p.uuid}</Text></Row>
                <Row label="Endpoint"><Text ff="monospace" size="sm">{p.useTls ? 'https' : 'http'}://{p.hostIp}:{p.hostPort}</Text></Row>
                <Row label="Access key / user">{p.accessKeyName ?? '—'}</Row>
                <Row label="Remote version">{p.version ?? '—'}</Row>
                <Row label="Scope">{p.scope}{p.regionUuid ? ` (${p.regionUuid})` : ''}</Row>
                <Row label="Features">
                  {Object.entries(p.features).filter(([k]) => k !== 'credential').map(([k, v]) => `${k}: ${v ? 'on' : 'off'}`).join(', ')}
                </Row>
                <Row label="Probes">{p.successCount} succeeded, {p.errorCount} failed</Row>
                <Row label="Last success">{formatTime(p.lastSuccessAt)}</Row>
                <Row label="Last error">{p.lastError ? `${formatTime(p.lastErrorAt)}: ${p.lastError}${p.lastErrorDetail ? ` (${p.lastErrorDetail})` : ''}` : '—'}</Row>
                <Row label="Created">{formatTime(p.createDate)}</Row>
                <Row label="Last operation">{formatTime(p.lastOpDate)}</Row>
              </Table.Tbody>
            </Table>
          </Paper>
          <Title order={3}>Health history</Title>
          <ApiErrorAlert error={history.error} onRetry={history.reload} title="Loading the health history" />
          {history.data ? <HealthChart name={p.name} history={history.data.history} /> : history.loading ? <Loading label="Loading the health history" /> : null}
          {editing ? <EditPlatformModal platform={p} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); reload(); }} /> : null}
          {deleting ? (
            <DeletePlatformModal platform={p} onClose={() => setDeleting(false)} onDeleted={() => void navigate('/platforms', { replace: true })} />
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={180} scope="row">{label}</Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}
