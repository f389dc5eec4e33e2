const { closeSync, openSync, readSync, statSync } = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');

/** How much of a failing test's log is printed: its last lines. */
const MAX_LINES = 200;

/**
 * The test environment of the int and e2e suites: the apps a test file runs in process write their
 * log lines to a file of their own (test/support/log-to-file.ts sets `__CP_TEST_LOG__`), so a passing
 * run stays readable; when a test (or a hook) fails, the lines written while it ran are printed after it.
 */
class LogEnvironment extends TestEnvironment {
  offset = 0;

  async handleTestEvent(event) {
    const file = this.global.__CP_TEST_LOG__;
    if (!file) return;
    if (event.name === 'test_start') this.offset = sizeOf(file);
    if (event.name === 'test_done' && event.test.errors.length > 0) this.print(file, `test "${fullName(event.test)}"`);
    if (event.name === 'hook_failure') this.print(file, `${event.hook.type} hook`);
  }

  print(file, what) {
    const text = readFrom(file, what.endsWith('hook') ? 0 : this.offset);
    const lines = text.split('\n').filter(Boolean);
    const shown = lines.slice(-MAX_LINES);
    process.stderr.write(`\n---- app log of the failed ${what} (${file}${lines.length > shown.length ? `, last ${shown.length} of ${lines.length} lines` : ''}) ----\n`
      + `${shown.join('\n')}\n---- end of app log ----\n`);
  }
}

function sizeOf(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file, offset) {
  let fd;
  try {
    fd = openSync(file, 'r');
    const length = Math.max(0, sizeOf(file) - offset);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, offset);
    return buffer.toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function fullName(test) {
  const names = [];
  for (let block = test; block && block.name !== 'ROOT_DESCRIBE_BLOCK'; block = block.parent) names.unshift(block.name);
  return names.join(' › ');
}

module.exports = LogEnvironment;
