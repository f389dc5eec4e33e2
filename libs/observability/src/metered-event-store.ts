import { streamCategory, type EventStore } from '@cp/event-store';
import { SpanKind, inSpan } from './tracing';
import { observeStoreOperation } from './metrics';

/** The port's calls that are measured; every other member (optional ones included) passes through untouched. */
const METERED = new Set<PropertyKey>(['append', 'readStream', 'readAll', 'headPosition']);

/** How a store call ended, by the port's error types (matched by name: no import of the adapters). */
export function storeOutcome(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'WrongExpectedVersionError') return 'conflict';
  if (name === 'EventStoreUnavailableError') return 'unavailable';
  return 'error';
}

/**
 * The store with its latency measured (`cp_event_store_operation_duration_seconds`), whatever the
 * adapter: a decorator of the port, applied where a service creates its store. A Proxy rather than a
 * class, so that the port's optional members (`storeIdentity`, `readAllChunks`, ...) stay exactly as
 * present or absent as on the store it wraps.
 */
export function meteredEventStore<S extends EventStore>(store: S, context: string): S {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(prop);
      if (!fn) {
        const method = value as (...args: unknown[]) => unknown;
        fn = METERED.has(prop) ? meter(context, String(prop), method.bind(target)) : method.bind(target);
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}

function meter(context: string, op: string, call: (...args: unknown[]) => unknown) {
  return async (...args: unknown[]): Promise<unknown> => {
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      // An append is a span of the command's trace (tracing on): its stream and how many events.
      if (op === 'append') {
        const [streamId, events] = args as [string, unknown[]];
        return await inSpan(`eventstore append ${streamCategory(streamId)}`, SpanKind.CLIENT, {
          'db.system': 'eventstore', 'cp.stream_id': streamId, 'cp.events': events.length,
        }, () => Promise.resolve(call(...args)));
      }
      return await call(...args);
    } catch (error) {
      outcome = storeOutcome(error);
      throw error;
    } finally {
      observeStoreOperation(context, op, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}

/**
 * The store as one command sees it, its version conflicts counted (for cp_command_conflicts_total:
 * executeCommand retries a conflict inside, out of the caller's sight).
 */
export function countingConflicts<S extends EventStore>(store: S): { store: S; conflicts(): number } {
  let conflicts = 0;
  const append: EventStore['append'] = (...args) => store.append(...args).catch((error: unknown) => {
    if (storeOutcome(error) === 'conflict') conflicts++;
    throw error;
  });
  const counted = new Proxy(store, {
    get(target, prop) {
      if (prop === 'append') return append;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, conflicts: () => conflicts };
}
