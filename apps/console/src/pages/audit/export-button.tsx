import { Button, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ApiError, UnavailableError, apiErrorOf } from '../../api/errors';
import { useSession } from '../../auth/session-context';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { exportFileName, exportPath, type AuditFilter } from './filters';
import { NdjsonLines } from './ndjson-lines';

interface Outcome {
  lines: number;
  /** The stream ended with an error line (a later page failed after the 200 was sent). */
  truncatedBy: ApiError | null;
}

/** A failed export's reply as an error: its `{error}` body, or unavailable. */
async function failureOf(response: Response): Promise<Error> {
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return apiErrorOf(body, response.status) ?? new UnavailableError(`the export answered HTTP ${response.status} without an API reply`, response.status);
}

/** Saves bytes as a file: a Blob's object URL behind an `<a download>`, clicked, then revoked. */
function saveFile(parts: BlobPart[], name: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/x-ndjson' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Exports the current filter as NDJSON: every page, streamed by the gateway
 * (`Accept: application/x-ndjson`). The session goes only in the `Authorization` header, so the file
 * is fetched here (read as it streams, its lines counted for the progress; cancellable) and saved
 * through a Blob's object URL and an `<a download>`: a plain link would need the session in its URL.
 * CSP: `connect-src 'self'` covers the fetch; a `blob:` download needs no directive.
 */
export function ExportButton({ filter }: { filter: AuditFilter }) {
  const { session } = useSession();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const running = useRef<AbortController | null>(null);
  // Leaving the page stops the export (the gateway then asks for no further page).
  useEffect(() => () => running.current?.abort(), []);

  const run = async () => {
    const controller = new AbortController();
    running.current = controller;
    setBusy(true);
    setError(null);
    setOutcome(null);
    setProgress(0);
    try {
      let response: Response;
      try {
        response = await fetch(exportPath(filter), {
          headers: { accept: 'application/x-ndjson', ...(session ? { authorization: `Bearer ${session.uuid}` } : {}) },
          signal: controller.signal,
        });
      } catch (failure) {
        if ((failure as Error).name === 'AbortError') throw failure;
        throw new UnavailableError(`the control plane cannot be reached (${(failure as Error).message})`);
      }
      if (!response.ok) throw await failureOf(response);
      const lines = new NdjsonLines();
      const parts: Uint8Array<ArrayBuffer>[] = [];
      if (response.body) {
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parts.push(value);
          lines.push(value);
          setProgress(lines.count);
        }
      }
      lines.end();
      const truncatedBy = lines.trailingError();
      saveFile(parts, exportFileName(new Date()));
      setOutcome({ lines: truncatedBy ? lines.count - 1 : lines.count, truncatedBy });
    } catch (failure) {
      if ((failure as Error).name === 'AbortError') setError(new Error('The export was cancelled; nothing was saved.'));
      else setError(failure);
    } finally {
      running.current = null;
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs">
      <Group gap="sm">
        <Button variant="default" onClick={() => void run()} loading={busy}>Export NDJSON</Button>
        {busy ? (
          <>
            <Text size="sm" role="status">Exporting: {progress} event{progress === 1 ? '' : 's'} so far</Text>
            <Button variant="subtle" size="xs" onClick={() => running.current?.abort()}>Cancel export</Button>
          </>
        ) : null}
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
