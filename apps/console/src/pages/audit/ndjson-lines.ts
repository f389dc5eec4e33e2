import { apiErrorOf, type ApiError } from '../../api/errors';

/**
 * Counts the lines of an NDJSON stream as its chunks arrive (for the export's progress) without
 * keeping its text: only the unfinished last line and the last complete one are held. The gateway
 * writes a later page's failure as the stream's last line (`{"error": ...}`: too late for a status);
 * `trailingError()` finds it. Pure (ndjson-lines.unit.spec.ts).
 */
export class NdjsonLines {
  private readonly decoder = new TextDecoder();
  private partial = '';
  private last = '';
  /** Complete, non-empty lines so far. */
  count = 0;

  /** A chunk of the stream's bytes. */
  push(chunk: Uint8Array): void {
    this.take(this.decoder.decode(chunk, { stream: true }));
  }

  /** The end of the stream: an unterminated last line counts too. */
  end(): void {
    this.take(this.decoder.decode());
    if (this.partial.trim() !== '') {
      this.count++;
      this.last = this.partial;
    }
    this.partial = '';
  }

  /** The stream's last line when it is an API error (a page that failed after the export had begun). */
  trailingError(): ApiError | null {
    try {
      return apiErrorOf(JSON.parse(this.last), 200);
    } catch {
      return null;
    }
  }

  private take(text: string): void {
    if (text === '') return;
    const pieces = (this.partial + text).split('\n');
    this.partial = pieces.pop() ?? '';
    for (const piece of pieces) {
      if (piece.trim() === '') continue;
      this.count++;
      this.last = piece;
    }
  }
}
