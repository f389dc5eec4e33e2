import { LineBatch } from './logger';

describe('LineBatch (JSON lines to stdout in batches)', () => {
  const collect = (maxBytes: number) => {
    const writes: string[] = [];
    return { writes, batch: new LineBatch({ write: (text: string) => void writes.push(text) }, maxBytes) };
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
