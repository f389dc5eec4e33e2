import { spawnNode } from '@cp/testing';
import { join } from 'node:path';

/** The fixture's stdout (JSON lines, batched) once it has exited, however it ended. */
async function linesOf(how: 'natural' | 'exit' | 'throw', lines: number): Promise<{ code: number | null; lines: Array<Record<string, unknown>> }> {
  const running = spawnNode(join(__dirname, 'fixtures/log-lines.ts'), {
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'log', LOG_FILE: '', LINES: String(lines) },
    stdio: ['ignore', 'pipe', 'ignore'], args: [how],
  });
  let out = '';
  running.proc.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exit = await running.exited;
  return { code: exit.code, lines: out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the JSON lines on stdout (batched)', () => {
  it.each(['natural', 'exit', 'throw'] as const)('every line comes out, whole and in order, when the process ends (%s)', async (how) => {
    const { code, lines } = await linesOf(how, 2000);
    expect(code).toBe(how === 'throw' ? 1 : 0);
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.map((l) => l.n)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(requests[0]).toMatchObject({ level: 'info', app: 'fixture', name: 'http', requestId: 'r0' });
    const last = lines.findIndex((l) => l.msg === 'the last line');
    expect(last).toBe(lines.indexOf(requests[1999]) + 1);
  }, 30_000);
});
