import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useApi, usePermissions } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';
import { formatTime } from '../../format';
import { CodeEditor } from './code-editor';
import { checkTemplateContent } from './content-rules';
import { ContentFindingsView } from './content-findings';
import { DeleteTemplateModal } from './delete-template-modal';
import { OK_GREEN, StateBadge } from './state-badge';
import { TemplatePreview } from './template-preview';
import { TEMPLATE_TYPES, TYPE_LABELS, type QueryReply, type Template, type TemplateDraft, type TemplateType } from './types';

const EMPTY: TemplateDraft = { name: '', description: '', distribution: '', type: 'kickstart', content: '' };
const draftOf = (t: Template): TemplateDraft => ({
  name: t.name, description: t.description ?? '', distribution: t.distribution, type: t.type, content: t.content ?? '',
});

/** `/templates/new` (optionally a copy: router state `{copy}`) and `/templates/:uuid`. */
export function TemplateEditorPage() {
  const { uuid } = useParams();
  const api = useApi();
  const location = useLocation();
  const loaded = useLoad(async (signal): Promise<Template | 'gone' | null> => {
    if (!uuid) return null;
    const reply = await api.call<'QueryPreconfigurationTemplate', QueryReply<Template>>('QueryPreconfigurationTemplate', {} as never, {
      signal, query: { conditions: [`uuid=${uuid}`] },
    });
    return reply.inventories.length > 0 ? reply.inventories[0] : 'gone';
  }, [uuid]);

  if (!uuid) {
    const copy = (location.state as { copy?: TemplateDraft } | null)?.copy;
    return <TemplateEditor key="new" template={null} initial={copy ?? EMPTY} />;
  }
  if (loaded.error) return <Stack><Crumbs name="…" /><ApiErrorAlert error={loaded.error} onRetry={loaded.reload} title="Loading the template" /></Stack>;
  if (loaded.data === 'gone') return <Stack><Crumbs name="Not found" /><Alert color="gray" title="No such template">It may have been deleted.</Alert></Stack>;
  if (!loaded.data) return <Loading label="Loading the template" />;
  return <TemplateEditor key={loaded.data.uuid} template={loaded.data} initial={draftOf(loaded.data)} />;
}

function Crumbs({ name }: { name: string }) {
  return (
    <Breadcrumbs aria-label="Breadcrumb">
      <Anchor component={Link} to="/templates">Templates</Anchor>
      <Text size="sm" aria-current="page">{name}</Text>
    </Breadcrumbs>
  );
}

function TemplateEditor({ template: loaded, initial }: { template: Template | null; initial: TemplateDraft }) {
  const api = useApi();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const [template, setTemplate] = useState<Template | null>(loaded);
  const [draft, setDraft] = useState<TemplateDraft>(initial);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [stateError, setStateError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'save' | 'state' | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [saved, setSaved] = useState(false);
  const isNew = template === null;
  const predefined = template?.isPredefined === true;
  const mayWrite = isNew ? can('AddPreconfigurationTemplate') : can('UpdatePreconfigurationTemplate');
  const readOnly = predefined || !mayWrite;
  const findings = useMemo(() => checkTemplateContent(draft.content), [draft.content]);
  const savedDraft = template ? draftOf(template) : null;
  const dirty = savedDraft === null || (Object.keys(draft) as (keyof TemplateDraft)[]).some((k) => draft[k] !== savedDraft[k]);

  useEffect(() => {
    if (dirty) setSaved(false);
  }, [dirty]);

  const set = <K extends keyof TemplateDraft>(key: K, value: TemplateDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const save = async () => {
    setBusy('save');
    setSaveError(null);
    try {
      if (isNew) {
        const reply = await api.call<'AddPreconfigurationTemplate', { inventory: Template }>('AddPreconfigurationTemplate', {
          name: draft.name.trim(), distribution: draft.distribution.trim(), type: draft.type, content: draft.content,
          ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
        });
        void navigate(`/templates/${reply.inventory.uuid}`, { replace: true });
        return;
      }
      const changed = Object.fromEntries((Object.keys(draft) as (keyof TemplateDraft)[])
        .filter((k) => draft[k] !== savedDraft![k])
        .map((k) => [k, k === 'content' ? draft[k] : draft[k].trim()]));
      const reply = await api.call<'UpdatePreconfigurationTemplate', { inventory: Template }>('UpdatePreconfigurationTemplate', {
        uuid: template.uuid, ...changed,
      });
      setTemplate(reply.inventory);
      setDraft(draftOf(reply.inventory));
      setSaved(true);
    } catch (failure) {
      setSaveError(failure);
    } finally {
      setBusy(null);
    }
  };

  const changeState = async () => {
    if (!template) return;
    setBusy('state');
    setStateError(null);
    try {
      const reply = await api.call<'ChangePreconfigurationTemplateState', { inventory: Template }>('ChangePreconfigurationTemplateState', {
        uuid: template.uuid, stateEvent: template.state === 'Enabled' ? 'disable' : 'enable',
      });
      setTemplate((t) => (t ? { ...t, state: reply.inventory.state, lastOpDate: reply.inventory.lastOpDate } : t));
    } catch (failure) {
      setStateError(failure);
    } finally {
      setBusy(null);
    }
  };

  const title = isNew ? 'New template' : template.name;
  return (
    <Stack>
      <Crumbs name={title} />
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2}>{title}</Title>
          {template ? (
            <Group gap="xs">
              <StateBadge state={template.state} />
              {predefined ? <Badge variant="outline" color="dark">Predefined</Badge> : null}
              <Text size="sm" c="dimmed">{TYPE_LABELS[template.type]} · last change {formatTime(template.lastOpDate)}</Text>
            </Group>
          ) : null}
        </Stack>
        {template && !readOnly ? (
          <Group>
            <Button variant="default" onClick={() => void changeState()} loading={busy === 'state'}>
              {template.state === 'Enabled' ? 'Disable' : 'Enable'}
            </Button>
            {can('DeletePreconfigurationTemplate') ? <Button color="red.9" variant="outline" onClick={() => setDeleting(true)}>Delete</Button> : null}
          </Group>
        ) : null}
      </Group>
      <ApiErrorAlert error={stateError} title={template?.state === 'Enabled' ? 'Disabling the template' : 'Enabling the template'} />
      {predefined ? (
        <Alert color="blue" title="Predefined template: read-only" data-testid="read-only-reason">
          <Text size="sm">
            This template ships with the control plane. Nobody can change, disable or delete it: a new version ships under a new name.
            To start from it, copy it into a new template of your own.
          </Text>
          {can('AddPreconfigurationTemplate') ? (
            <Button mt="xs" size="xs" variant="default"
              onClick={() => void navigate('/templates/new', { state: { copy: { ...draft, name: `${draft.name}-copy` } } })}>
              Copy into a new template
            </Button>
          ) : null}
        </Alert>
      ) : !mayWrite ? (
        <Alert color="gray" title="Read-only" data-testid="read-only-reason">
          Only the admin account adds and changes templates; you can read and preview them.
        </Alert>
      ) : null}
      <form
        aria-label="Template"
        onSubmit={(event) => {
          event.preventDefault();
          if (!readOnly) void save();
        }}
      >
        <Stack>
          <Group align="flex-start" grow wrap="wrap">
            <TextInput label="Name" required readOnly={readOnly} value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} maxLength={255} />
            <TextInput label="Distribution" required readOnly={readOnly} value={draft.distribution} placeholder="e.g. centos7"
              onChange={(e) => set('distribution', e.currentTarget.value)} maxLength={64} />
            <Select label="Type" required readOnly={readOnly} allowDeselect={false} value={draft.type}
              onChange={(v) => v && set('type', v as TemplateType)}
              data={TEMPLATE_TYPES.map((v) => ({ value: v, label: TYPE_LABELS[v] }))} />
          </Group>
          <Textarea label="Description" readOnly={readOnly} value={draft.description} autosize minRows={1} maxRows={4} maxLength={2048}
            onChange={(e) => set('description', e.currentTarget.value)} />
          <Stack gap={4}>
            <Text component="span" size="sm" fw={500} id="template-content-label">Content ({TYPE_LABELS[draft.type]})</Text>
            <CodeEditor value={draft.content} onChange={readOnly ? undefined : (v) => set('content', v)} type={draft.type} readOnly={readOnly}
              label={`Template content (${TYPE_LABELS[draft.type]})`} describedBy="template-findings" testId="template-content" />
          </Stack>
          <ContentFindingsView id="template-findings" findings={findings} />
          <ApiErrorAlert error={saveError} title={isNew ? 'Adding the template' : 'Saving the template'} />
          {!readOnly ? (
            <Group>
              <Button type="submit" loading={busy === 'save'} disabled={!isNew && !dirty}>{isNew ? 'Add the template' : 'Save'}</Button>
              {saved && !dirty ? <Text size="sm" c={OK_GREEN} role="status">Saved.</Text> : null}
              {!isNew && dirty ? <Text size="sm" c="dimmed">Unsaved changes</Text> : null}
            </Group>
          ) : null}
        </Stack>
      </form>
      {template ? <TemplatePreview template={template} dirty={dirty} /> : (
        <Text size="sm" c="dimmed">The preview (rendered with your values) comes once the template is added.</Text>
      )}
      {deleting && template ? (
        <DeleteTemplateModal template={template} onClose={() => setDeleting(false)} onDeleted={() => void navigate('/templates', { replace: true })} />
      ) : null}
    </Stack>
  );
}
