import { parseArgs } from 'node:util';
import { CONTEXTS, type Context } from '@cp/contracts';
import { HELP, UsageError, strictly } from '@cp/config';
import { freshModels, type ReplayLimit } from './replay';

/** The contexts with read models to rebuild (audit-svc reads the log itself). */
export const REPLAYABLE: Context[] = CONTEXTS.filter((c) => freshModels(c).length > 0);

export const REPLAY_USAGE = [
  `usage: npm run replay -- [--context ${REPLAYABLE.join('|')}] [--verify] [--to <position|time>] [--nats <url>]`,
  `  --context <name>      rebuild only this context's read models (default: ${REPLAYABLE.join(', ')})`,
  '  --verify              compare with the live models of the running services (as the admin: CP_ADMIN_PASSWORD);',
  '                        prints every difference, exit 1 on drift',
  '  --to <position|time>  stop at this log position, or at this ISO-8601 time (e.g. 2026-01-15T08:00:00Z)',
  '  --nats <url>          the NATS of the services (default: NATS_URL, else the nats.url file `npm start` writes in DATA_DIR)',
  'the log is read from the event store the services use: EVENT_STORE (jetstream, on that NATS; or esdb) and',
  'ESDB_CONNECTION_STRING, as for the services; with EventStoreDB, NATS is needed only for --verify',
  '  -h, --help            this text',
  'exit code: 0 done (no drift), 1 drift, 2 a bad command line or an error',
].join('\n');

export interface ReplayArgs {
  contexts: Context[];
  verify: boolean;
  limit: ReplayLimit;
  /** --nats, when given. */
  nats?: string;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** `--to`: a log position (digits) or an ISO-8601 time. */
export function parseTo(to: string): ReplayLimit {
  if (/^\d{1,19}$/.test(to)) return { toPosition: BigInt(to) };
  const at = ISO_8601.test(to) ? Date.parse(to) : NaN;
  if (Number.isNaN(at)) throw new UsageError(`--to must be a log position or an ISO-8601 time (e.g. 2026-01-15T08:00:00Z), not ${JSON.stringify(to)}`);
  return { toTime: at };
}

/** The replay command line, strictly: an unknown flag or a bad value is a UsageError. */
export function parseReplayArgs(args: string[]): ReplayArgs | typeof HELP {
  const { values } = strictly(() => parseArgs({
    args, strict: true, allowPositionals: false,
    options: {
      context: { type: 'string' }, verify: { type: 'boolean' }, to: { type: 'string' }, nats: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
  if (values.help) return HELP;
  const { context, to, nats } = values;
  if (context !== undefined && !(REPLAYABLE as string[]).includes(context)) {
    throw new UsageError(`--context must be one of ${REPLAYABLE.join(', ')}, not ${JSON.stringify(context)}`);
  }
  if (nats !== undefined && nats.trim() === '') throw new UsageError('--nats must be a NATS URL, not empty');
  return {
    contexts: context === undefined ? [...REPLAYABLE] : [context as Context],
    verify: values.verify ?? false,
    limit: to === undefined ? {} : parseTo(to),
    ...(nats === undefined ? {} : { nats }),
  };
}
