import { jetStreamReplicas } from '@cp/config';
import { StorageType, type NatsConnection, type ObjectStore } from 'nats';

/** A read model that can be saved as it stands and loaded back (its checkpoint). */
export interface Snapshottable {
  /** Plain JSON data: the model as it stands now (rows with the stream version each was built to). */
  snapshot(): unknown;
  /** Replaces the model's content with a snapshot (on an empty model, before any event is applied). */
  restore(snapshot: unknown): void;
}

export interface Checkpoint {
  position: bigint;
  data: unknown;
  /**
   * The identity of the store the position belongs to (EventStore.storeIdentity; null for a store
   * without one). A checkpoint of another store (an older one, or another kind) is not resumed from.
   */
  store: string | null;
}

/** Where checkpoints are kept: the last one per read model name. */
export interface CheckpointStore {
  load(name: string): Promise<Checkpoint | null>;
  save(name: string, checkpoint: Checkpoint): Promise<void>;
  remove(name: string): Promise<void>;
}

export const CHECKPOINTS_BUCKET = 'projection-checkpoints';
/** The store of a checkpoint saved without one (before checkpoints carried it): no store's identity. */
export const UNKNOWN_STORE = 'unknown';
/**
 * A checkpoint is read through an ordered consumer, chunk by chunk; one that stalls (the server
 * went away mid-read) would hold a service's start for ever. No chunk for this long: give up and
 * rebuild from the log instead.
 */
const LOAD_IDLE_TIMEOUT_MS = 10_000;

/**
 * Checkpoints in a NATS object store (chunked: a model of 100,000 rows is tens of megabytes, beyond
 * a KV value): `{position, data}` as JSON under the read model's name; each save replaces the last.
 */
export class NatsCheckpointStore implements CheckpointStore {
  private constructor(private readonly os: ObjectStore) {}

  static async open(nc: NatsConnection): Promise<NatsCheckpointStore> {
    return new NatsCheckpointStore(await nc.jetstream().views.os(CHECKPOINTS_BUCKET, { storage: StorageType.File, replicas: jetStreamReplicas() }));
  }

  /** The saved checkpoint, or null when there is none or it cannot be read now (the caller replays the log). */
  async load(name: string): Promise<Checkpoint | null> {
    const text = await this.read(name).catch(() => null);
    if (!text) return null;
    const doc = JSON.parse(text.toString('utf8')) as { position: string; data: unknown; store?: string | null };
    // A checkpoint saved before stores had identities has none: it matches no store.
    return { position: BigInt(doc.position), data: doc.data, store: doc.store === undefined ? UNKNOWN_STORE : doc.store };
  }

  /** `getBlob`, with every chunk's wait bounded (getBlob waits for ever on a stalled consumer). */
  private async read(name: string): Promise<Buffer | null> {
    const object = await this.os.get(name);
    if (!object) return null;
    // Rejects on a corrupt object (digest mismatch) or a failed read; read below when it matters.
    const outcome = object.error.then(() => null, (err: unknown) => err);
    const reader = object.data.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), LOAD_IDLE_TIMEOUT_MS); }),
      ]).finally(() => clearTimeout(timer));
      if (chunk === null) {
        // Cancelling the stream unsubscribes its consumer.
        await reader.cancel().catch(() => undefined);
        throw new Error(`checkpoint ${name}: no data for ${LOAD_IDLE_TIMEOUT_MS} ms`);
      }
      if (chunk.done) break;
      if (chunk.value?.length) chunks.push(chunk.value);
    }
    // Settles as the stream closes; bounded all the same.
    let timer: NodeJS.Timeout | undefined;
    const failure = await Promise.race([
      outcome,
      new Promise<Error>((resolve) => { timer = setTimeout(() => resolve(new Error(`checkpoint ${name}: the read did not finish`)), LOAD_IDLE_TIMEOUT_MS); }),
    ]).finally(() => clearTimeout(timer));
    if (failure) throw failure;
    return Buffer.concat(chunks);
  }

  async save(name: string, checkpoint: Checkpoint): Promise<void> {
    const text = JSON.stringify({ position: checkpoint.position.toString(), store: checkpoint.store, data: checkpoint.data });
    await this.os.putBlob({ name }, Buffer.from(text, 'utf8'));
  }

  async remove(name: string): Promise<void> {
    await this.os.delete(name).catch(() => undefined);
  }
}

export const isSnapshottable = (model: object): model is Snapshottable =>
  typeof (model as Partial<Snapshottable>).snapshot === 'function' && typeof (model as Partial<Snapshottable>).restore === 'function';

/** Rows keyed by uuid with the stream version each was built to, as JSON (versions as strings). */
export interface VersionedRow<S> {
  state: S;
  version: bigint;
}

export const rowsToJson = <S>(rows: Map<string, VersionedRow<S>>) =>
  [...rows].map(([uuid, row]) => ({ uuid, version: row.version.toString(), state: row.state }));

export const rowsFromJson = <S>(data: unknown): Array<[string, VersionedRow<S>]> =>
  (data as Array<{ uuid: string; version: string; state: S }>).map((r) => [r.uuid, { state: r.state, version: BigInt(r.version) }]);
