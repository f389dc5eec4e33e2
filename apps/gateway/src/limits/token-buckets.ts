/** Keys each limiter remembers at most; the least recently used is forgotten first (a forgotten key starts full). */
export const MAX_KEYS = 100_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by key, in memory: each holds up to `burst` tokens and gains `perSecond` a second; a
 * request takes one. Pure apart from the clock it is given.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly maxKeys = MAX_KEYS,
  ) {
    this.perMs = perSecond / 1000;
  }

  /** Takes a token for `key`: 0 when there was one, else the milliseconds until there is. */
  take(key: string, now: number): number {
    const found = this.buckets.get(key);
    let bucket: Bucket;
    if (found) {
      found.tokens = Math.min(this.burst, found.tokens + (now - found.at) * this.perMs);
      found.at = now;
      // Most recently used last: the first key of the map is the one to forget.
      this.buckets.delete(key);
      bucket = found;
    } else {
      bucket = { tokens: this.burst, at: now };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** Requests being served, by key, each key capped at `max`. */
export class InFlight {
  private readonly counts = new Map<string, number>();

  constructor(readonly max: number) {}

  acquire(key: string): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n >= this.max) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = this.counts.get(key) ?? 0;
    if (n <= 1) this.counts.delete(key);
    else this.counts.set(key, n - 1);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}

/**
 * Whose request it is, for the per-client limits: the session (`OAuth`/`Bearer`), the access key id of
 * a signed request (`ZStack <id>:<signature>`), else the source address. The credential is not verified
 * here (identity-svc does that): a made-up one only earns the caller its own bucket and an ID.1001.
 */
export function clientOf(authorization: string | string[] | undefined, address: string): { key: string; label: string } {
  const given = (Array.isArray(authorization) ? authorization[0] : authorization)?.trim();
  if (given) {
    const session = /^(?:OAuth|Bearer)\s+(\S{1,128})$/i.exec(given);
    if (session) return { key: `s:${session[1]}`, label: 'this session' };
    const key = /^ZStack\s+([^:\s]{1,128}):/.exec(given);
    if (key) return { key: `k:${key[1]}`, label: `access key ${key[1]}` };
  }
  return { key: `a:${address}`, label: `address ${address}` };
}
