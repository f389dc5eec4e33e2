import { NdjsonLines } from './ndjson-lines';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('the export\'s NDJSON line counter', () => {
  it('counts lines split anywhere across chunks, multi-byte characters included', () => {
    const text = '{"a":"é"}\n{"b":2}\n\n{"c":"日本"}\n';
    const all = bytes(text);
    for (let cut = 0; cut <= all.length; cut++) {
      const lines = new NdjsonLines();
      lines.push(all.slice(0, cut));
      lines.push(all.slice(cut));
      lines.end();
      expect(lines.count).toBe(3);
      expect(lines.trailingError()).toBeNull();
    }
  });

  it('counts an unterminated last line, and nothing for an empty stream', () => {
    const lines = new NdjsonLines();
    lines.push(bytes('{"a":1}\n{"b":2}'));
    expect(lines.count).toBe(1);
    lines.end();
    expect(lines.count).toBe(2);
    const empty = new NdjsonLines();
    empty.end();
    expect(empty.count).toBe(0);
  });

  it('finds a failure written as the last line', () => {
    const lines = new NdjsonLines();
    lines.push(bytes('{"type":"AccountCreated"}\n{"error":{"code":"SYS.1000","description":"internal","details":"x"}}\n'));
    lines.end();
    expect(lines.count).toBe(2);
    expect(lines.trailingError()).toMatchObject({ code: 'SYS.1000', description: 'internal', details: 'x' });
  });
});
