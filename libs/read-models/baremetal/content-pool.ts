/**
 * One copy of each distinct template content in memory: templates with the same content (same
 * md5sum and the same text) share one string, counted, and released with the last of them. A
 * content is up to 16 MiB; the events it came in are not kept.
 */
export class ContentPool {
  private readonly entries = new Map<string, { content: string; refs: number }>();

  /** The pooled copy of `content` (whose MD5 is `md5sum`), counted once more. */
  acquire(md5sum: string, content: string): string {
    const entry = this.entries.get(md5sum);
    if (entry && entry.content === content) {
      entry.refs++;
      return entry.content;
    }
    // A different text under the same MD5 (a collision) is simply not shared.
    if (!entry) this.entries.set(md5sum, { content, refs: 1 });
    return content;
  }

  release(md5sum: string, content: string): void {
    const entry = this.entries.get(md5sum);
    if (!entry || entry.content !== content) return;
    if (--entry.refs === 0) this.entries.delete(md5sum);
  }

  get size(): number {
    return this.entries.size;
  }
}
