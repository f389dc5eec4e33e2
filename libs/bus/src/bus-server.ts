import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom, isObservable } from 'rxjs';
import type { Msg, NatsConnection, Subscription } from 'nats';
import {
  UUID_HEX32, ZStackError, internalError, invalidArgument, queueGroup,
  type BusAccessKeyAuth, type BusAuth, type BusReply, type BusRequest, type Context,
} from '@cp/contracts';
import { parsePosition } from '@cp/event-store';
import type { BusMessage, HandlerOutcome } from './bus-message';
import { JobStore, type JobRecord } from './job-store';
import { connectNats } from './nats';

export interface BusServerOptions {
  servers: string;
  context: Context;
  /** Name of the NATS connection (shows in the server's monitoring). */
  name: string;
  jobTtlMs?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A Nest microservice transport that speaks our bus envelopes (docs/nats-bus.md) instead of Nest's
 * `{pattern, data, id}` framing, so that any NATS client can call a service. Handlers are ordinary
 * `@MessagePattern(subject)` methods that receive a `BusMessage` and return a `HandlerOutcome`.
 *
 * Commands (`<context>.cmd.*`) are idempotent by command id: the outcome is recorded in the job
 * store before the reply, and a repeated command id gets the recorded outcome without running again.
 */
export class BusServer extends Server implements CustomTransportStrategy {
  private nc: NatsConnection | null = null;
  private jobs: JobStore | null = null;
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Map<string, Promise<BusReply>>();
  private readonly log = new Logger('BusServer');

  constructor(private readonly options: BusServerOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.nc = await connectNats(this.options.servers, this.options.name);
      this.jobs = await JobStore.open(this.nc, this.options.jobTtlMs);
      const queue = queueGroup(this.options.context);
      for (const subject of this.messageHandlers.keys()) {
        this.subscriptions.push(this.nc.subscribe(subject, { queue, callback: (err, msg) => {
          if (!err) void this.handle(subject, msg);
        } }));
      }
      // Ready only once the server has the subscriptions: a request sent right after would find no responder.
      await this.nc.flush();
      this.log.log(`listening on ${[...this.messageHandlers.keys()].length} subjects, queue group ${queue}`);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Drains: stops taking requests, lets in-flight ones answer, then closes the connection. */
  async close(): Promise<void> {
    const nc = this.nc;
    this.nc = null;
    if (!nc || nc.isClosed()) return;
    for (const s of this.subscriptions) s.unsubscribe();
    await Promise.allSettled(this.inFlight.values());
    await nc.drain();
  }

  on(): never {
    throw new Error('BusServer emits no events');
  }

  unwrap<T>(): T {
    if (!this.nc) throw new Error('BusServer is not listening');
    return this.nc as T;
  }

  private async handle(subject: string, msg: Msg): Promise<void> {
    let reply: BusReply;
    let request: BusMessage | null = null;
    try {
      request = decodeRequest(subject, msg.data);
      reply = subject.includes('.cmd.') ? await this.runCommandOnce(request) : await this.run(request);
    } catch (error) {
      reply = { ok: false, error: this.toZStackError(error, subject).toBody() };
    }
    if (msg.reply) this.respond(msg, reply);
  }

  /**
   * A reply larger than the server's max_payload cannot be sent (nats.js throws): the caller gets
   * SYS.1007 saying so instead, e.g. a query of many large templates without `limit` or `fields`.
   */
  private respond(msg: Msg, reply: BusReply): void {
    let data = encoder.encode(JSON.stringify(reply));
    const max = this.nc?.info?.max_payload ?? Infinity;
    if (data.length > max) {
      const error = invalidArgument(`the reply of ${data.length} bytes is larger than the bus accepts (max_payload ${max} bytes): ask for fewer rows (limit) or fields`);
      data = encoder.encode(JSON.stringify({ ok: false, error: error.toBody() } satisfies BusReply));
    }
    try {
      msg.respond(data);
    } catch (error) {
      this.log.error(`could not reply on ${msg.subject}: ${(error as Error).message}`);
    }
  }

  private runCommandOnce(request: BusMessage): Promise<BusReply> {
    const running = this.inFlight.get(request.commandId);
    if (running) return running;
    const promise = this.runCommand(request).finally(() => this.inFlight.delete(request.commandId));
    this.inFlight.set(request.commandId, promise);
    return promise;
  }

  private async runCommand(request: BusMessage): Promise<BusReply> {
    const jobs = this.jobs!;
    const recorded = await jobs.get(request.commandId);
    if (recorded?.state === 'done') return replyOf(recorded);
    const reply = await this.run(request);
    const finishedAt = new Date().toISOString();
    const record: JobRecord = reply.ok
      ? { state: 'done', api: request.api, ok: true, result: reply.result, position: reply.position, sessionUuid: request.auth.sessionUuid, finishedAt }
      : { state: 'done', api: request.api, ok: false, error: reply.error, finishedAt };
    try {
      await jobs.put(request.commandId, record);
    } catch (error) {
      this.log.error(`could not record the outcome of job ${request.commandId}: ${(error as Error).message}`);
    }
    return reply;
  }

  private async run(request: BusMessage): Promise<BusReply> {
    const handler = this.getHandlerByPattern(request.subject);
    if (!handler) throw new ZStackError('SYS.1008', `no handler for ${request.subject}`);
    try {
      const value = await handler(request);
      const outcome = (isObservable(value) ? await lastValueFrom(value) : value) as HandlerOutcome;
      const position = outcome.position;
      return position === undefined || position === null
        ? { ok: true, result: outcome.result }
        : { ok: true, result: outcome.result, position: position.toString() };
    } catch (error) {
      return { ok: false, error: this.toZStackError(error, request.subject).toBody() };
    }
  }

  private toZStackError(error: unknown, subject: string): ZStackError {
    if (error instanceof ZStackError) return error;
    // Never echo an unexpected error's text: it may quote a payload. Log it here, answer a reference.
    const ref = Math.random().toString(16).slice(2, 10);
    this.log.error(`unexpected error [ref ${ref}] handling ${subject}: ${(error as Error)?.stack ?? String(error)}`);
    return internalError(`an internal error happened [ref ${ref}]; see the service log`);
  }
}

function replyOf(record: Extract<JobRecord, { state: 'done' }>): BusReply {
  if (!record.ok) return { ok: false, error: record.error };
  return record.position === undefined ? { ok: true, result: record.result } : { ok: true, result: record.result, position: record.position };
}

export function decodeRequest(subject: string, data: Uint8Array): BusMessage {
  let body: Partial<BusRequest>;
  try {
    body = JSON.parse(decoder.decode(data)) as Partial<BusRequest>;
  } catch (error) {
    throw invalidArgument(`the request is not valid JSON: ${(error as Error).message}`);
  }
  if (body === null || typeof body !== 'object') throw invalidArgument('the request must be a JSON object');
  if (typeof body.commandId !== 'string' || !UUID_HEX32.test(body.commandId)) {
    throw invalidArgument('field[commandId] of the request envelope must be 32 lowercase hex characters');
  }
  const payload = body.payload ?? {};
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw invalidArgument('field[payload] of the request envelope must be a JSON object');
  }
  let minPosition: bigint | null = null;
  if (body.minPosition !== undefined && body.minPosition !== null) {
    try {
      minPosition = parsePosition(String(body.minPosition));
    } catch {
      throw invalidArgument('field[minPosition] of the request envelope must be a log position (decimal string)');
    }
  }
  const auth = body.auth && typeof body.auth === 'object' ? body.auth : {};
  return {
    subject,
    api: subject.slice(subject.lastIndexOf('.') + 1),
    commandId: body.commandId,
    correlationId: typeof body.correlationId === 'string' && body.correlationId ? body.correlationId : body.commandId,
    auth: authOf(auth),
    payload: payload as Record<string, unknown>,
    minPosition,
    via: body.via === 'rest' ? 'rest' : 'nats',
  };
}

/** The envelope's `auth`: a session when it is a string; a signed request's fields as sent (the Authenticator checks and verifies them). */
function authOf(auth: BusAuth): BusAuth {
  const out: BusAuth = {};
  if (typeof auth.sessionUuid === 'string') out.sessionUuid = auth.sessionUuid;
  const key = auth.accessKey as Partial<BusAccessKeyAuth> | undefined;
  if (key && typeof key === 'object') {
    const { accessKeyId, signature, date, method, path } = key;
    out.accessKey = { accessKeyId, signature, date, method, path } as BusAccessKeyAuth;
  }
  return out;
}
