import { fstatSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { logConfig, type LogConfig } from '@cp/config';

/**
 * What a log line may never show: credentials in headers, passwords and their hashes, keys and
 * secrets, wherever they sit in a logged object (pino's redaction, by path). Messages are our own
 * texts and never quote a secret (the fuzz and secrets e2e tests scan whole runs' logs).
 */
export const REDACTED_PATHS = [
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'password', '*.password', 'passwordHash', '*.passwordHash', 'oldPassword', '*.oldPassword',
  'secret', '*.secret', 'secretKey', '*.secretKey', 'AccessKeySecret', '*.AccessKeySecret', 'accessKeySecret', '*.accessKeySecret',
  'key', '*.key', 'encryptionKey', '*.encryptionKey', 'token', '*.token', 'signature', '*.signature',
];

/** Nest's level names (LOG_LEVEL) → pino's. */
const PINO_LEVEL: Record<LogConfig['levels'][number], pino.Level> = { debug: 'debug', log: 'info', warn: 'warn', error: 'error', fatal: 'fatal' };

let root: Logger | null = null;
/** Where the request lines go (requestLogger): the same output as `root`. */
let requests: RequestLines | null = null;
/** How often batched JSON lines are written out at the latest. */
const LOG_FLUSH_MS = 200;
/**
 * The most bytes of JSON lines written in one go. To a pipe (`npm start`'s apps share their parent's
 * stdout; a container's log driver reads one): PIPE_BUF, the most Linux writes to a pipe whole, so
 * the lines of several processes never cut into each other. To a file: 64 KiB, fewer system calls.
 */
const PIPE_BATCH_BYTES = 4096;
const FILE_BATCH_BYTES = 65536;
/** The app this process runs (`app` on every line), once a `main` has said so. */
let appName: string | undefined;

/**
 * The process's one logger, made on first use: JSON lines (pino) unless stdout is a terminal, then
 * coloured text (pino-pretty, in process). LOG_FORMAT and LOG_LEVEL choose otherwise (libs/config);
 * LOG_FILE sends the lines to a file instead of stdout (the test stacks do, one file per stack).
 */
export function rootLogger(): Logger {
  if (!root) ({ root, requests } = createLoggers(process.env));
  return root;
}

/** A field of a request line: ours, flat. */
export type RequestLineField = string | number | boolean | null | undefined;

/** The one line per request of a part of the app. */
export interface RequestLog {
  info(fields: Readonly<Record<string, RequestLineField>>, msg: string): void;
}

interface RequestLines {
  of(name: string): RequestLog;
}

/**
 * The logger of the one line per request (the gateway's HTTP line, a service's bus line): the same
 * output and format as every other line. Those lines hold only flat fields we build (API and subject
 * names, methods, route patterns, statuses, codes, durations, ids), so in JSON they are written as
 * they are, without pino's per-call work (redaction, which copies the object, and serializers):
 * the cost of a line is paid on every request.
 */
export function requestLogger(name: string): RequestLog {
  // Looked up at each line: redirectLogs and nameLogs make new outputs.
  return {
    info: (fields, msg) => {
      rootLogger();
      requests!.of(name).info(fields, msg);
    },
  };
}

/**
 * JSON request lines straight to `out`, as pino writes them (level, time, pid, app, name, fields,
 * msg). What repeats from line to line is made once: each key's `,"key":`, each message's ending, the
 * time of the current millisecond (measured: 0.5 µs a line against 1.4 µs).
 */
function jsonRequestLines(out: DestinationStream, enabled: boolean, base: string): RequestLines {
  const logs = new Map<string, RequestLog>();
  const keys = new Map<string, string>();
  const endings = new Map<string, string>();
  return {
    of(name) {
      let log = logs.get(name);
      if (!log) {
        const head = `,${base},"name":${JSON.stringify(name)}`;
        log = {
          info(fields, msg) {
            if (!enabled) return;
            let line = `{"level":"info","time":"${isoTimeNow()}"${head}`;
            for (const key in fields) {
              const value = fields[key];
              if (value === undefined) continue;
              let prefix = keys.get(key);
              if (prefix === undefined) keys.set(key, (prefix = `,${JSON.stringify(key)}:`));
              line += prefix + (typeof value === 'number' ? (Number.isFinite(value) ? `${value}` : 'null') : JSON.stringify(value));
            }
            let ending = endings.get(msg);
            if (ending === undefined) endings.set(msg, (ending = `,"msg":${JSON.stringify(msg)}}\n`));
            out.write(line + ending);
          },
        };
        logs.set(name, log);
      }
      return log;
    },
  };
}

let isoMs = 0;
let isoText = '';

/** `new Date().toISOString()`, made once per millisecond. */
function isoTimeNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/** Request lines through a pino logger (text on a terminal). */
const pinoRequestLines = (logger: Logger): RequestLines => ({ of: (name) => logger.child({ name }) });

/** A logger of one part of the app: its lines carry `name` (`gateway`, `BusServer`, ...). */
export function logger(name: string): Logger {
  return rootLogger().child({ name });
}

/** Names the app this process runs: every later line carries `app` (a process of one app: its `main`). */
export function nameLogs(app: string): void {
  appName = app;
  root = null;
  requests = null;
}

/** Sends every later line to `file` (created with its folder), or back to stdout with null. */
export function redirectLogs(file: string | null): void {
  ({ root, requests } = createLoggers({ ...process.env, LOG_FILE: file ?? '' }));
}

export function createLogger(env: NodeJS.ProcessEnv, stream?: DestinationStream): Logger {
  return createLoggers(env, stream).root;
}

/** The process's logger and its request lines, writing to one output. */
function createLoggers(env: NodeJS.ProcessEnv, stream?: DestinationStream): { root: Logger; requests: RequestLines } {
  const file = env.LOG_FILE || undefined;
  const { json, levels } = logConfig(env, file ? false : Boolean(process.stdout.isTTY));
  const options: pino.LoggerOptions = {
    level: PINO_LEVEL[levels[0]],
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: appName ? { pid: process.pid, app: appName } : { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  const infoEnabled = ['debug', 'info'].includes(PINO_LEVEL[levels[0]]);
  const base = `"pid":${process.pid}${appName ? `,"app":${JSON.stringify(appName)}` : ''}`;
  const both = (out: DestinationStream, asJson: boolean) => {
    const root = pino(options, out);
    return { root, requests: asJson ? jsonRequestLines(out, infoEnabled, base) : pinoRequestLines(root) };
  };
  if (stream) return both(stream, json);
  if (file) mkdirSync(dirname(file), { recursive: true });
  // JSON to stdout goes out in batches of about 4 KiB (a write per line would cost a syscall each:
  // stdoutBatch). A file (the tests') and text for a terminal are written line by line.
  if (json && !file) return both(stdoutBatch(), true);
  const destination = pino.destination({ dest: file ?? 1, sync: true, mkdir: true });
  if (json) return both(destination, true);
  return both(pretty({
    colorize: !file && Boolean(process.stdout.isTTY), singleLine: true, sync: true, destination, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname',
    messageFormat: appName ? `${appName} {msg}` : undefined,
  }), false);
}

/**
 * Lines encoded into a buffer as they come and written in one go: whole lines, at most `maxBytes`
 * (a line longer than that alone), at the latest every LOG_FLUSH_MS, and on exit. Each line is
 * encoded at once, so nothing of it outlives the call but its bytes (a batch kept as one growing
 * string kept every line's pieces alive until the write, for the garbage collector to copy), and
 * sonic-boom gets one buffer per batch (it measures the byte length of its whole pending text on
 * every string written: a line at a time into it cost 2.7 µs against 0.4 µs). The writes are
 * synchronous, as Node's own stdout is on Linux for files and pipes: nothing is in flight when the
 * process exits, so no line is lost. Every line of the process goes through it, in order.
 */
export class LineBatch implements DestinationStream {
  private buffer: Buffer;
  private used = 0;

  constructor(private readonly out: { write(bytes: Buffer): unknown }, private readonly maxBytes: number) {
    this.buffer = Buffer.allocUnsafe(maxBytes);
  }

  write(line: string): void {
    // A UTF-16 unit takes at most 3 bytes: measured exactly only when the line might not fit.
    if (this.used + line.length * 3 > this.maxBytes) {
      const size = Buffer.byteLength(line);
      if (this.used + size > this.maxBytes) {
        this.flush();
        if (size > this.maxBytes) {
          this.out.write(Buffer.from(line));
          return;
        }
      }
    }
    this.used += this.buffer.write(line, this.used);
  }

  flush(): void {
    if (this.used === 0) return;
    // The written bytes go out as they are (sonic-boom may keep them to retry): the next lines get a new buffer.
    const bytes = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(this.maxBytes);
    this.used = 0;
    this.out.write(bytes);
  }
}

/** The process's stdout for JSON lines, batched (one per process: every logger made after shares it). */
let stdoutLines: LineBatch | null = null;

function stdoutBatch(): LineBatch {
  if (stdoutLines) return stdoutLines;
  // pino's destination: a reader that went away (EPIPE) drops the lines instead of taking the process down.
  // contentMode 'buffer': sonic-boom takes the batches' bytes as they are.
  const out = pino.destination({ dest: 1, sync: true, contentMode: 'buffer' }) as unknown as { write(bytes: Buffer): boolean };
  const batch = new LineBatch(out, stdoutIsFile() ? FILE_BATCH_BYTES : PIPE_BATCH_BYTES);
  setInterval(() => batch.flush(), LOG_FLUSH_MS).unref();
  process.once('exit', () => {
    try {
      batch.flush();
    } catch {
      // stdout gone: nothing more can be written, and an exit is no place to throw.
    }
  });
  stdoutLines = batch;
  return batch;
}

function stdoutIsFile(): boolean {
  try {
    return fstatSync(1).isFile();
  } catch {
    return false;
  }
}

/**
 * Nest's logger interface over the process's pino logger: Nest's own lines and every
 * `new Logger(context)` of ours come out as structured lines with `name` = the context.
 */
export class NestLogger implements LoggerService {
  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes `(message, context)`, and for errors `(message, stack, context)`. */
  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    const name = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    const stack = level === 'error' && rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields: Record<string, unknown> = { name };
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      rootLogger()[level]({ ...fields, err: message }, message.message);
    } else if (message !== null && typeof message === 'object') {
      rootLogger()[level]({ ...fields, ...(message as object) });
    } else {
      rootLogger()[level](fields, String(message));
    }
  }
}
