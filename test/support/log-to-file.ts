import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { redirectLogs } from '@cp/observability';

/**
 * The log lines of the apps a test file runs in this process go to a file of its own
 * (`$TMPDIR/cp-test-logs/<spec>-<pid>.log`), not to the terminal; test/support/log-environment.js
 * prints a failing test's part of it. CP_TEST_LOGS=stdout keeps them on the terminal.
 */
if (process.env.CP_TEST_LOGS !== 'stdout') {
  const file = join(tmpdir(), 'cp-test-logs', `${basename(expect.getState().testPath ?? 'unknown')}-${process.pid}.log`);
  redirectLogs(file);
  (globalThis as { __CP_TEST_LOG__?: string }).__CP_TEST_LOG__ = file;
}
