import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import {
  RestError, ZSTACK_APIS, apiByName, isAdmin, readJobSubject, subjectOf, timeoutError,
  type ZStackApiEntry, type BusAuth, type BusReply, type BusRequest, type Caller,
} from '@cp/contracts';
import {
  BusClient, BusUnanswered, JobStore, RemoteAuthenticator, ownerOf, sameAccount, sameCredential,
  type DoneJob, type JobRecord,
} from '@cp/bus';
import type { RequestContext } from '@cp/observability';
import { parseQueryString, queryByUuid } from '@cp/query';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { BUS_CLIENT, JOB_STORE, NATS_CONNECTION } from '../tokens';
import { authFromHeaders, readerOf } from './auth-header';
import { payloadFromBody, payloadFromQuery, pickByBodyKey } from './request-mapping';
import { JobRedelivery } from './job-redelivery';
import { ZStackRenderer } from './render';
import { SessionPositions } from './session-positions';
import { zstackDateFormatter } from './zstack-date';
import { failed, zstackFailure, type ApiAnswer } from './zstack-errors';

export type { ApiAnswer } from './zstack-errors';

/** What a route hands over from HTTP, and what it gets back to write. */
export interface ApiCall {
  method: string;
  url: string;
  /** Base for `location` URLs (scheme://host:port). */
  baseUrl: string;
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The client's address (TRUST_PROXY decides whether X-Forwarded-For names it), relayed to the services. */
  clientAddress?: string;
  /** The HTTP request's context (RequestTracking): its id goes out with the bus requests, the caller comes back. */
  context?: RequestContext;
}

export const JOBS_PATH = '/zstack/v1/api-jobs/';
const JOB_ID = /^[0-9a-f]{32}$/;
/** Jobs this gateway could not record while NATS was away: answered from here, written when it is back. */
const MAX_UNRECORDED_JOBS = 10_000;
const EXPIRED = { status: 404, text: 'the job has been expired' } as const;
const ZSTACK_API_NAMES = new Set(ZSTACK_APIS.map((api) => api.name));

const header = (call: ApiCall, name: string): string | undefined => {
  const v = call.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * ZStack's wire protocol over the bus: sync APIs answer 200 / 503 at once; async APIs run as jobs
 * (the job id is `X-Job-UUID` and the command id), answer 200 when the command finishes within the
 * fast-path wait and 202 + `location` otherwise, and are polled at `/zstack/v1/api-jobs/{id}`.
 */
@Injectable()
export class ZStackApi implements OnModuleDestroy {
  private readonly renderer: ZStackRenderer;
  private readonly log = new Logger('ZStackApi');
  private readonly authenticator: RemoteAuthenticator;
  private readonly unrecorded = new Map<string, JobRecord>();
  private readonly redelivery: JobRedelivery;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(BUS_CLIENT) private readonly bus: BusClient,
    @Inject(JOB_STORE) private readonly jobs: JobStore,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    private readonly positions: SessionPositions,
  ) {
    this.renderer = new ZStackRenderer(zstackDateFormatter(config.timeZone));
    this.authenticator = new RemoteAuthenticator(nc, config.busTimeoutMs);
    this.redelivery = new JobRedelivery(bus, jobs, config.fastPathMs);
  }

  onModuleDestroy(): void {
    this.redelivery.stop();
  }

  /** One route (method + path) may serve several APIs (shared PUT action paths). */
  async call(candidates: readonly ZStackApiEntry[], call: ApiCall): Promise<ApiAnswer> {
    try {
      const api = pickByBodyKey(candidates, call.body, call.url);
      const jobId = this.jobIdOf(call);
      const auth: BusAuth = api.access !== 'none'
        ? authFromHeaders({ method: call.method, url: call.url, authorization: header(call, 'authorization'), date: header(call, 'date') })
        : {};
      const payload = this.payloadOf(api, call);
      const request: BusRequest = { commandId: jobId, auth, payload, via: 'rest', clientAddress: call.clientAddress };
      if (api.query) request.minPosition = await this.positions.get(readerOf(auth), api.context);
      return api.kind === 'command' ? await this.runAsync(api, request, call) : await this.runSync(api, request, call);
    } catch (error) {
      return zstackFailure(error, this.log);
    }
  }

  /**
   * A job's state for the caller that started it (same session or access key, or the same account;
   * the admin reads any, without secrets shown once). Anyone else, or no credential, gets the answer
   * of an unknown job, so a job id reveals nothing. While the job store cannot be reached the poll
   * says "still running" rather than failing the job.
   */
  async poll(jobId: string, call: ApiCall): Promise<ApiAnswer> {
    if (!JOB_ID.test(jobId)) return EXPIRED;
    let record: JobRecord | null;
    try {
      record = (await this.jobs.get(jobId)) ?? this.unrecorded.get(jobId) ?? null;
    } catch {
      return { status: 202, json: {} };
    }
    // The command ids of `/api/v1` commands are job records too, but not ZStack jobs: unknown here.
    if (!record || !ZSTACK_API_NAMES.has(record.api)) return EXPIRED;
    const auth = this.pollerOf(call);
    const sameCaller = sameCredential(record.owner, auth);
    const caller = sameCaller ? null : await this.callerOf(auth, call.context);
    const owner = sameCaller || sameAccount(record.owner, caller);
    if (!owner && !(caller !== null && isAdmin(caller))) return EXPIRED;
    if (record.state === 'pending' || record.state === 'running') {
      const deadline = record.state === 'pending' ? record.deadline : record.leaseUntil;
      if (Date.now() <= Date.parse(deadline)) return { status: 202, json: {} };
      return failed((record.state === 'pending' && record.error) || timeoutError(
        `the job did not finish before ${deadline}; send the request again with the same X-Job-UUID to complete it or learn its outcome`).toBody());
    }
    if (!record.ok) return failed(record.error);
    const api = apiByName(record.api);
    const result = owner ? await this.openSealed(jobId, record, auth, call.context) : record.result;
    if (owner) await this.positions.record(readerOf(auth), api.context, record.position);
    return { status: 200, json: this.renderer.render(api, result, header(call, 'x-json-schema') !== undefined) };
  }

  /** The poll's credential; none (or a malformed one) reads no job. */
  private pollerOf(call: ApiCall): BusAuth {
    try {
      return authFromHeaders({ method: call.method, url: call.url, authorization: header(call, 'authorization'), date: header(call, 'date') });
    } catch (error) {
      if (error instanceof RestError) return {};
      throw error;
    }
  }

  /** Who polls, asked of identity-svc only when the credential is not the one that started the job. */
  private async callerOf(auth: BusAuth, context?: RequestContext): Promise<Caller | null> {
    if (!auth.sessionUuid && !auth.accessKey) return null;
    const resolved = await this.authenticator.authenticate(auth, context).catch(() => null);
    return resolved?.ok ? resolved.caller : null;
  }

  /** A secret shown once (CreateAccessKey's) is kept sealed by the service: it opens it for the owner. */
  private async openSealed(jobId: string, record: Extract<DoneJob, { ok: true }>, auth: BusAuth, context?: RequestContext): Promise<unknown> {
    if (!record.sealed) return record.result;
    const api = apiByName(record.api);
    try {
      const reply = await this.bus.request(readJobSubject(api.context), { commandId: jobId, auth, payload: { jobId } }, this.config.busTimeoutMs, context);
      if (reply.ok) return reply.result;
    } catch (error) {
      if (!(error instanceof BusUnanswered)) throw error;
    }
    return record.result;
  }

  private async runSync(api: ZStackApiEntry, request: BusRequest, call: ApiCall): Promise<ApiAnswer> {
    let reply: BusReply;
    try {
      reply = await this.bus.request(subjectOf(api), request, this.config.busTimeoutMs, call.context);
    } catch (error) {
      return zstackFailure(error, this.log);
    }
    if (!reply.ok) return failed(reply.error);
    return { status: 200, json: this.renderer.render(api, reply.result, header(call, 'x-json-schema') !== undefined) };
  }

  private async runAsync(api: ZStackApiEntry, request: BusRequest, call: ApiCall): Promise<ApiAnswer> {
    const jobId = request.commandId;
    const apiTimeoutMs = this.apiTimeoutOf(call);
    try {
      const reply = await this.bus.request(subjectOf(api), request, this.config.fastPathMs, call.context);
      if (reply.ok) {
        await this.positions.record(readerOf(request.auth), api.context, reply.position);
        return { status: 200, json: this.renderer.render(api, reply.result, header(call, 'x-json-schema') !== undefined) };
      }
      if (reply.duplicateJob) return { status: 400, text: reply.error.details ?? `Duplicate job uuid[${jobId}]` };
      // Errors of async APIs reach ZStack clients through the poll (the service recorded the outcome).
    } catch (error) {
      if (!(error instanceof BusUnanswered)) throw error;
      const owner = ownerOf(request.auth);
      if (error.reason === 'timeout') this.redelivery.track(subjectOf(api), request, Date.now() + apiTimeoutMs);
      await this.remember(jobId, error.reason === 'timeout'
        ? { state: 'pending', api: api.name, owner, deadline: new Date(Date.now() + apiTimeoutMs).toISOString() }
        : { state: 'pending', api: api.name, owner, deadline: new Date(Date.now() - 1).toISOString(), error: error.toZStackError().toBody() });
    }
    const base = this.config.publicUrl || call.baseUrl;
    return { status: 202, json: { location: `${base}${JOBS_PATH}${jobId}`, apiTimeout: apiTimeoutMs } };
  }

  /**
   * Records what the gateway knows of a job no service answered for. With NATS away the record stays
   * here (the poll reads it) and is written once NATS answers again: an infrastructure failure is the
   * job's outcome to tell, never a direct SYS.1000.
   */
  private async remember(jobId: string, record: JobRecord): Promise<void> {
    try {
      await this.jobs.createIfAbsent(jobId, record);
      return;
    } catch (error) {
      this.log.warn(`job ${jobId} kept in memory until the job store answers: ${(error as Error).message}`);
    }
    if (this.unrecorded.size >= MAX_UNRECORDED_JOBS) this.unrecorded.delete(this.unrecorded.keys().next().value as string);
    this.unrecorded.set(jobId, record);
    this.flushUnrecorded();
  }

  private flushing = false;

  private flushUnrecorded(): void {
    if (this.flushing) return;
    this.flushing = true;
    const flush = async () => {
      for (const [jobId, record] of [...this.unrecorded]) {
        try {
          await this.jobs.createIfAbsent(jobId, record);
          this.unrecorded.delete(jobId);
        } catch {
          setTimeout(() => void flush(), 1000).unref();
          return;
        }
      }
      this.flushing = false;
    };
    void flush();
  }

  private payloadOf(api: ZStackApiEntry, call: ApiCall): Record<string, unknown> {
    if (api.query) {
      const uuid = call.params.uuid;
      return { query: uuid !== undefined ? queryByUuid(uuid) : parseQueryString(call.query) };
    }
    return api.method === 'GET' || api.method === 'DELETE'
      ? payloadFromQuery(api, call.query, call.params)
      : payloadFromBody(api, call.body, call.params);
  }

  private jobIdOf(call: ApiCall): string {
    const given = header(call, 'x-job-uuid');
    if (given === undefined) return randomUUID().replace(/-/g, '');
    const id = given.trim().toLowerCase();
    if (!JOB_ID.test(id)) throw new RestError(400, `Invalid header[X-Job-UUID], it must be a UUID with '-' stripped`);
    return id;
  }

  private apiTimeoutOf(call: ApiCall): number {
    const given = header(call, 'x-api-timeout');
    if (given === undefined) return this.config.apiTimeoutMs;
    const seconds = Number(given);
    if (!Number.isInteger(seconds) || seconds <= 0) throw new RestError(400, `Invalid header[X-API-Timeout], it must be a positive number of seconds`);
    return Math.min(seconds * 1000, 86_400_000);
  }
}
