import { Anchor, Badge, Button, Group, Pagination, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Suspense, lazy, useState } from 'react';
import { Link, Route, Routes, useSearchParams } from 'react-router';
import { useApi, usePermissions } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';
import { formatTime } from '../../format';
import { StateBadge } from './state-badge';
import { LIST_FIELDS, TEMPLATE_TYPES, TYPE_LABELS, type QueryReply, type Template } from './types';

export const PAGE_SIZE = 20;
// The editor (CodeMirror and its languages) is a chunk of its own: the list does not load it.
const TemplateEditorPage = lazy(() => import('./template-editor-page').then((m) => ({ default: m.TemplateEditorPage })));

/** `/templates` (the list), `/templates/new` and `/templates/:uuid` (the editor). */
export function TemplatesPage() {
  return (
    <Suspense fallback={<Loading label="Loading the editor" />}>
      <Routes>
        <Route index element={<TemplateList />} />
        <Route path="new" element={<TemplateEditorPage />} />
        <Route path=":uuid" element={<TemplateEditorPage />} />
      </Routes>
    </Suspense>
  );
}

/** A LIKE pattern (ZStack's `~=`): `%` and `_` typed in the filter match anything, as in ZStack. */
const contains = (text: string) => `%${text}%`;

/** The templates, without their contents (`fields`): name and type filters kept in the URL, pages of PAGE_SIZE. */
function TemplateList() {
  const api = useApi();
  const { can } = usePermissions();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const name = params.get('name') ?? '';
  const type = params.get('type') ?? '';
  const [nameDraft, setNameDraft] = useState(name);

  const { data, error, loading, reload } = useLoad(
    (signal) => api.call<'QueryPreconfigurationTemplate', QueryReply<Template>>('QueryPreconfigurationTemplate', {} as never, {
      signal,
      query: {
        conditions: [...(name ? [`name~=${contains(name)}`] : []), ...(type ? [`type=${type}`] : [])],
        fields: LIST_FIELDS, limit: PAGE_SIZE, start: (page - 1) * PAGE_SIZE, replyWithCount: true, sort: '+name',
      },
    }),
    [name, type, page],
  );

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    setParams(next);
  };
  const total = data?.total ?? data?.inventories.length ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Templates</Title>
        {can('AddPreconfigurationTemplate') ? <Button component={Link} to="/templates/new">New template</Button> : null}
      </Group>
      <Text size="sm" c="dimmed">Baremetal preconfiguration templates: kickstart, preseed, AutoYaST and autoinstall files with {'{{ PARAM }}'} placeholders.</Text>
      <form
        role="search"
        aria-label="Filter the templates"
        onSubmit={(event) => {
          event.preventDefault();
          setParam('name', nameDraft.trim());
        }}
      >
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Name contains" value={nameDraft} onChange={(e) => setNameDraft(e.currentTarget.value)} w={220} />
          <Button type="submit" variant="default">Filter</Button>
          <Select label="Type" w={170} allowDeselect={false} value={type} onChange={(v) => setParam('type', v)}
            data={[{ value: '', label: 'Any' }, ...TEMPLATE_TYPES.map((v) => ({ value: v, label: TYPE_LABELS[v] }))]} />
        </Group>
      </form>
      <ApiErrorAlert error={error} onRetry={reload} title="Loading the templates" />
      {loading && !data ? <Loading label="Loading the templates" /> : null}
      {data ? (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {total} template{total === 1 ? '' : 's'}{loading ? ' (refreshing)' : ''}
          </Text>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover aria-label="Templates">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Type</Table.Th>
                  <Table.Th scope="col">Distribution</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col">Origin</Table.Th>
                  <Table.Th scope="col">Last change</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.inventories.map((tpl) => (
                  <Table.Tr key={tpl.uuid}>
                    <Table.Td><Anchor component={Link} to={`/templates/${tpl.uuid}`}>{tpl.name}</Anchor></Table.Td>
                    <Table.Td>{TYPE_LABELS[tpl.type] ?? tpl.type}</Table.Td>
                    <Table.Td>{tpl.distribution}</Table.Td>
                    <Table.Td><StateBadge state={tpl.state} /></Table.Td>
                    <Table.Td>{tpl.isPredefined ? <Badge variant="outline" color="dark">Predefined</Badge> : 'Added'}</Table.Td>
                    <Table.Td>{formatTime(tpl.lastOpDate)}</Table.Td>
                  </Table.Tr>
                ))}
                {data.inventories.length === 0 ? (
                  <Table.Tr><Table.Td colSpan={6}><Text c="dimmed" size="sm">No template matches.</Text></Table.Td></Table.Tr>
                ) : null}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {pages > 1 ? (
            <Pagination total={pages} value={page} onChange={(n) => setParam('page', String(n))}
              getControlProps={(control) => ({ 'aria-label': `${control} page` })} getItemProps={(n) => ({ 'aria-label': `Page ${n}` })} />
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
