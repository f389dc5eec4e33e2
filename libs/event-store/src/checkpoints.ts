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
}

/** Where checkpoints are kept: the last one per read model name. */
export interface CheckpointStore {
  load(name: string): Promise<Checkpoint | null>;
  save(name: string, checkpoint: Checkpoint): Promise<void>;
  remove(name: string): Promise<void>;
}

export const CHECKPOINTS_BUCKET = 'projection-checkpoints';

/**
 * Checkpoints in a NATS object store (chunked: a model of 100,000 rows is tens of megabytes, beyond
 * a KV value): `{position, data}` as JSON under the read model's name; each save replaces the last.
 */
export class NatsCheckpointStore implements CheckpointStore {
  private constructor(private readonly os: ObjectStore) {}

  static async open(nc: NatsConnection): Promise<NatsCheckpointStore> {
    return new NatsCheckpointStore(await nc.jetstream().views.os(CHECKPOINTS_BUCKET, { storage: StorageType.File }));
  }

  async load(name: string): Promise<Checkpoint | null> {
    const text = await this.os.getBlob(name).catch(() => null);
    if (!text) return null;
    const doc = JSON.parse(Buffer.from(text).toString('utf8')) as { position: string; data: unknown };
    return { position: BigInt(doc.position), data: doc.data };
  }

  async save(name: string, checkpoint: Checkpoint): Promise<void> {
    const text = JSON.stringify({ position: checkpoint.position.toString(), data: checkpoint.data });
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
