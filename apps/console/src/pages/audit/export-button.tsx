import { Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ApiError, UnavailableError, apiErrorOf } from '../../api/errors';
import { useSession } from '../../auth/session-context';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { exportFileName, exportPath, type AuditFilter } from './filters';

interface Outcome {
  lines: number;
  /** The stream ended with an error line (a later page failed after the 200 was sent). */
  truncatedBy: ApiError | null;
}

/**
 * Exports the current filter as NDJSON: every page, streamed by the gateway
 * (`Accept: application/x-ndjson`). The session goes only in the `Authorization` header, so the file
 * is fetched here and saved through a Blob's object URL and an `<a download>` (a plain link would
 * need the session in its URL). CSP: `connect-src 'self'` covers the fetch; a `blob:` download
 * needs no directive.
 */
export function ExportButton({ filter }: { filter: AuditFilter }) {
  const { session } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      let response: Response;
      try {
        response = await fetch(exportPath(filter), {
          headers: { accept: 'application/x-ndjson', ...(session ? { authorization: `Bearer ${session.uuid}` } : {}) },
        });
      } catch (failure) {
        throw new UnavailableError(`the control plane cannot be reached (${(failure as Error).message})`);
      }
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
        throw apiErrorOf(body, response.status) ?? new UnavailableError(`the export answered HTTP ${response.status}`, response.status);
      }
      const blob = await response.blob();
      const text = await blob.text();
      const lines = text.split('\n').filter((line) => line !== '');
      let truncatedBy: ApiError | null = null;
      if (lines.length > 0) {
        try {
          truncatedBy = apiErrorOf(JSON.parse(lines[lines.length - 1]), 200);
        } catch {
          truncatedBy = null;
        }
      }
      const url = URL.createObjectURL(new Blob([blob], { type: 'application/x-ndjson' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = exportFileName(new Date());
      link.rel = 'noopener';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setOutcome({ lines: truncatedBy ? lines.length - 1 : lines.length, truncatedBy });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs">
      <Group gap="sm">
        <Button variant="default" onClick={() => void run()} loading={busy}>Export NDJSON</Button>
        {outcome ? (
          <Text size="sm" c="dimmed" role="status" data-testid="export-outcome">
            Exported {outcome.lines} event{outcome.lines === 1 ? '' : 's'} (every page of the current filter).
          </Text>
        ) : null}
      </Group>
      {outcome?.truncatedBy ? <ApiErrorAlert error={outcome.truncatedBy} title="The export stopped early: its last line is this error" /> : null}
      <ApiErrorAlert error={error} onRetry={() => void run()} title="Exporting the events" />
    </Stack>
  );
}
