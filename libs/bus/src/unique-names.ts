import { createHash } from 'node:crypto';
import type { KV, NatsConnection } from 'nats';
import { OutcomeUnknownError } from './bus-server';
import { openKv } from './nats';

/** The KV bucket where replicas claim names before they use them. */
export const UNIQUE_NAMES_BUCKET = 'unique-names';
/**
 * A claim whose holder never appeared in the read model (its command died between the claim and
 * the append) is taken over after this long; before, the name counts as taken.
 */
export const STALE_CLAIM_MS = 30_000;

interface Claim {
  uuid: string;
  at: number;
}

/** A name a resource wants: `name` of `kind` (unique within `scope`: '' for everywhere, an owner's uuid...). */
export interface NameClaim {
  kind: string;
  scope: string;
  name: string;
  uuid: string;
  /** Whether `holder` has this name in the read model (a live claim, not one of a command that died). */
  exists(holder: string): boolean;
}

/**
 * Names that must be unique across every replica of a service (account names, IAM2 virtual ID names,
 * platform names per owner): a read model only knows what its own replica has applied, so two
 * replicas could accept one name at once. Before a command uses a name it claims it here with a
 * compare-and-set (`kv.create`): one claim wins, every other command gets the name's holder as
 * `nameTakenBy`, and the domain refuses it with its own error. A claim is released when the
 * command is refused, and when the resource is renamed or deleted.
 *
 * `exists(uuid, name)`: whether the holder still has the name in this replica's read model, used to
 * tell a live claim from one left by a command that died: such a claim is taken over once it is
 * STALE_CLAIM_MS old.
 */
export class UniqueNames {
  private constructor(private readonly kv: KV, private readonly staleMs: number) {}

  static async open(nc: NatsConnection, staleMs = STALE_CLAIM_MS): Promise<UniqueNames> {
    return new UniqueNames(await openKv(nc, UNIQUE_NAMES_BUCKET), staleMs);
  }

  /**
   * Runs a command that gives `claim.uuid` the name `claim.name`, holding the name: `run` gets the
   * resource that holds the name instead (the domain refuses with its duplicate-name error), or
   * undefined. A claim made here is released when the command fails, unless its outcome is unknown
   * (its append may have been stored: the claim stays until the resource is renamed or deleted).
   */
  async holding<T>(claim: NameClaim, run: (takenBy: string | undefined) => Promise<T>): Promise<T> {
    const { takenBy, fresh } = await this.claim(claim);
    try {
      return await run(takenBy);
    } catch (error) {
      if (fresh && !(error instanceof OutcomeUnknownError)) await this.release(claim).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Claims the name for `uuid`. `takenBy`: the resource that holds it, else undefined (`uuid` holds it
   * now); `fresh`: the claim was made by this call (not one `uuid` already had).
   */
  async claim({ kind, scope, name, uuid, exists }: NameClaim): Promise<{ takenBy?: string; fresh: boolean }> {
    const key = keyOf(kind, scope, name);
    const mine = JSON.stringify({ uuid, at: Date.now() } satisfies Claim);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.kv.create(key, mine);
        return { fresh: true };
      } catch {
        // Held already (a released claim, a delete marker, is created over).
      }
      const entry = await this.kv.get(key);
      if (!entry || entry.operation !== 'PUT') continue;
      const held = entry.json<Claim>();
      if (held.uuid === uuid) return { fresh: false };
      if (exists(held.uuid) || Date.now() - held.at < this.staleMs) return { takenBy: held.uuid, fresh: false };
      // A stale claim: taken over, unless another command takes it first.
      try {
        await this.kv.update(key, mine, entry.revision);
        return { fresh: true };
      } catch {
        continue;
      }
    }
    throw new Error(`the claim of ${kind} name ${JSON.stringify(name)} kept moving`);
  }

  /** Gives up `uuid`'s claim of `name` (the command was refused, or the resource renamed or deleted). */
  async release({ kind, scope, name, uuid }: Omit<NameClaim, 'exists'>): Promise<void> {
    const key = keyOf(kind, scope, name);
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.json<Claim>().uuid !== uuid) return;
    // Only the claim read here: a newer one (another resource's) stays.
    await this.kv.delete(key, { previousSeq: entry.revision }).catch(() => undefined);
  }
}

/** KV keys are tokens: the name is hashed (any characters, any length), the scope too. */
function keyOf(kind: string, scope: string, name: string): string {
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');
  return `${kind}.${scope ? hash(scope).slice(0, 32) : '_'}.${hash(name)}`;
}
