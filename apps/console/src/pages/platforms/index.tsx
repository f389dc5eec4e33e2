import { Alert, Anchor, Button, Group, Pagination, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi, usePermissions } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';
import { formatTime } from '../../format';
import { HealthBadge, StatusBadge } from './health-badge';
import { HEALTH_STATUSES, PRODUCT_LABELS, PRODUCT_TYPES, STATUSES, shownHealth, type PlatformList } from './types';

export const PAGE_SIZE = 20;
const FILTERS = ['name', 'productType', 'status', 'healthStatus'] as const;
type Filter = (typeof FILTERS)[number];

/** The platforms: filters (kept in the URL), pages of PAGE_SIZE (ListPlatforms limit/offset), health badges. */
export function PlatformsPage() {
  const { can } = usePermissions();
  if (!can('ListPlatforms')) {
    return (
      <Stack>
        <Title order={2}>Platforms</Title>
        <Alert color="gray" title="Admin only">The federation platforms are managed by the admin account.</Alert>
      </Stack>
    );
  }
  return <PlatformList />;
}

function PlatformList() {
  const api = useApi();
  const { can } = usePermissions();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<Filter, string>;
  const [nameDraft, setNameDraft] = useState(filters.name);

  const { data, error, loading, reload } = useLoad(
    (signal) => api.call<'ListPlatforms', PlatformList>('ListPlatforms', {
      ...(filters.name ? { name: filters.name } : {}),
      ...(filters.productType ? { productType: filters.productType as never } : {}),
      ...(filters.status ? { status: filters.status as never } : {}),
      ...(filters.healthStatus ? { healthStatus: filters.healthStatus as never } : {}),
      limit: String(PAGE_SIZE) as never, offset: String((page - 1) * PAGE_SIZE) as never,
    }, { signal }),
    [filters.name, filters.productType, filters.status, filters.healthStatus, page],
  );

  const setFilter = (name: Filter, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('page');
    setParams(next);
  };
  const setPage = (value: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(value));
    setParams(next);
  };
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const option = (values: readonly string[]) => [{ value: '', label: 'Any' }, ...values.map((v) => ({ value: v, label: v }))];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Platforms</Title>
        {can('CreatePlatform') ? <Button component={Link} to="/platforms/new">New platform</Button> : null}
      </Group>
      <form
        role="search"
        aria-label="Filter the platforms"
        onSubmit={(event) => {
          event.preventDefault();
          setFilter('name', nameDraft.trim());
        }}
      >
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Name" value={nameDraft} onChange={(e) => setNameDraft(e.currentTarget.value)} w={200} />
          <Button type="submit" variant="default">Filter</Button>
          <Select label="Product" data={[{ value: '', label: 'Any' }, ...PRODUCT_TYPES.map((p) => ({ value: p, label: PRODUCT_LABELS[p] }))]}
            value={filters.productType} onChange={(v) => setFilter('productType', v)} w={170} allowDeselect={false} />
          <Select label="Status" data={option(STATUSES)} value={filters.status} onChange={(v) => setFilter('status', v)} w={150} allowDeselect={false} />
          <Select label="Health" data={option(HEALTH_STATUSES)} value={filters.healthStatus} onChange={(v) => setFilter('healthStatus', v)} w={150} allowDeselect={false} />
        </Group>
      </form>
      <ApiErrorAlert error={error} onRetry={reload} title="Loading the platforms" />
      {loading && !data ? <Loading label="Loading the platforms" /> : null}
      {data ? (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {data.total} platform{data.total === 1 ? '' : 's'}
            {loading ? ' (refreshing)' : ''}
          </Text>
          <Table.ScrollContainer minWidth={800}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Product</Table.Th>
                  <Table.Th scope="col">Endpoint</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Health</Table.Th>
                  <Table.Th scope="col">Last success</Table.Th>
                  <Table.Th scope="col">Last error</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.platforms.map((p) => (
                  <Table.Tr key={p.uuid}>
                    <Table.Td><Anchor component={Link} to={`/platforms/${p.uuid}`}>{p.name}</Anchor></Table.Td>
                    <Table.Td>{PRODUCT_LABELS[p.productType] ?? p.productType}</Table.Td>
                    <Table.Td><Text size="sm" ff="monospace">{p.hostIp}:{p.hostPort}</Text></Table.Td>
                    <Table.Td><StatusBadge status={p.status} /></Table.Td>
                    <Table.Td><HealthBadge health={shownHealth(p)} /></Table.Td>
                    <Table.Td>{formatTime(p.lastSuccessAt)}</Table.Td>
                    <Table.Td>{p.lastError ? <Text size="sm" lineClamp={1} title={p.lastErrorDetail ?? p.lastError}>{p.lastError}</Text> : '—'}</Table.Td>
                  </Table.Tr>
                ))}
                {data.platforms.length === 0 ? (
                  <Table.Tr><Table.Td colSpan={7}><Text c="dimmed" size="sm">No platform matches.</Text></Table.Td></Table.Tr>
                ) : null}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {pages > 1 ? (
            <Pagination total={pages} value={page} onChange={setPage} getControlProps={(control) => ({ 'aria-label': `${control} page` })}
              getItemProps={(n) => ({ 'aria-label': `Page ${n}` })} />
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
