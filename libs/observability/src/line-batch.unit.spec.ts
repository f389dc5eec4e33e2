import { LineBatch } from './logger';

describe('LineBatch (JSON lines to stdout in batches)', () => {
  const collect = (maxBytes: number) => {
    const writes: string[] = [];
    return { writes, batch: new LineBatch({ write: (bytes: Buffer) => writes.push(bytes.toString()) }, maxBytes) };
  };

  it('writes whole lines, in order, never more than the batch size but for a longer line alone', () => {
    const { writes, batch } = collect(100);
    const lines = Array.from({ length: 40 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(i % 7 * 5)}"}\n`);
    lines.splice(20, 0, `{"long":"${'y'.repeat(300)}"}\n`);
    for (const line of lines) batch.write(line);
    batch.flush();
    expect(writes.join('')).toBe(lines.join(''));
    for (const text of writes) {
      expect(text.endsWith('\n')).toBe(true);
      if (text.split('\n').length > 2) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(100);
    }
    expect(writes).toContain(lines[20]);
  });

  it('counts bytes, not characters (a pipe takes PIPE_BUF bytes whole)', () => {
    const { writes, batch } = collect(64);
    const line = `{"name":"${'é'.repeat(11)}"}\n`; // 23 characters, 34 bytes: two are 46 characters but 68 bytes
    batch.write(line);
    batch.write(line);
    expect(writes).toEqual([line]);
    batch.flush();
    expect(writes).toEqual([line, line]);
  });
});

describe('LineBatch and a destination that keeps what it was given (sonic-boom retrying a busy pipe)', () => {
  it('never writes into bytes it has handed out', () => {
    const kept: Buffer[] = [];
    const batch = new LineBatch({ write: (bytes: Buffer) => kept.push(bytes) }, 64);
    const lines = Array.from({ length: 30 }, (_, i) => `{"n":${i}}\n`);
    for (const line of lines) batch.write(line);
    batch.flush();
    expect(kept.length).toBeGreaterThan(3);
    expect(kept.map((b) => b.toString()).join('')).toBe(lines.join(''));
  });
});
