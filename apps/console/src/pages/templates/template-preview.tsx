import { Badge, Code, Group, Paper, ScrollArea, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useApi } from '../../auth/session-context';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { paramsOf } from './content-rules';
import { OK_GREEN, WARN_ORANGE } from './state-badge';
import type { Template } from './types';

interface Rendered {
  uuid: string;
  rendered: string;
  missingParams: string[];
}

const DEBOUNCE_MS = 400;

/**
 * The preview of the saved template through RenderPreconfigurationTemplate: a value for each of its
 * params (empty ones are not sent, so they stay in `missingParams`), rendered again 400 ms after the
 * last keystroke; an older answer arriving late is dropped.
 */
export function TemplatePreview({ template, dirty }: { template: Template; dirty: boolean }) {
  const api = useApi();
  const params = useMemo(() => paramsOf(template.content ?? ''), [template.content]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<Rendered | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [round, setRound] = useState(0);

  const sent = useMemo(
    () => Object.fromEntries(params.filter((p) => (values[p] ?? '') !== '').map((p) => [p, values[p]])),
    [params, values],
  );
  const key = `${template.uuid}:${template.lastOpDate}:${JSON.stringify(sent)}:${round}`;

  useEffect(() => {
    const controller = new AbortController();
    setPending(true);
    const timer = setTimeout(() => {
      api.call<'RenderPreconfigurationTemplate', Rendered>('RenderPreconfigurationTemplate', { uuid: template.uuid, params: sent }, { signal: controller.signal })
        .then((reply) => {
          if (controller.signal.aborted) return;
          setResult(reply);
          setError(null);
          setPending(false);
        }, (failure: unknown) => {
          if (controller.signal.aborted) return;
          setError(failure);
          setPending(false);
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // `key` holds everything the render depends on.
  }, [key]);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="preview-title">
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4" id="preview-title">Preview</Title>
          <Text size="sm" c="dimmed" aria-live="polite">{pending ? 'Rendering…' : result ? 'Rendered' : ''}</Text>
        </Group>
        {dirty ? <Text size="sm" c={WARN_ORANGE}>The preview renders the saved content: save to preview your changes.</Text> : null}
        {params.length > 0 ? (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" role="group" aria-label="Param values for the preview">
            {params.map((p) => (
              <TextInput key={p} size="xs" label={p} value={values[p] ?? ''} ff="monospace"
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setValues((v) => ({ ...v, [p]: value }));
                }} />
            ))}
          </SimpleGrid>
        ) : <Text size="sm" c="dimmed">The template has no params.</Text>}
        <ApiErrorAlert error={error} onRetry={() => setRound((r) => r + 1)} title="Rendering the preview" />
        {result ? (
          <>
            <div data-testid="missing-params" aria-live="polite">
              {result.missingParams.length > 0 ? (
                <Group gap={6}>
                  <Text size="sm">Without a value (missingParams):</Text>
                  {result.missingParams.map((p) => <Badge key={p} color={WARN_ORANGE} variant="light" tt="none">{p}</Badge>)}
                </Group>
              ) : <Text size="sm" c={OK_GREEN}>Every param has a value (missingParams is empty).</Text>}
            </div>
            <ScrollArea.Autosize mah={420} type="auto">
              <Code block data-testid="rendered" aria-label="Rendered template" tabIndex={0}>{result.rendered}</Code>
            </ScrollArea.Autosize>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
