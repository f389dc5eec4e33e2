import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  RestError, apiByName, subjectOf, timeoutError,
  type ApiEntry, type BusAuth, type BusReply, type BusRequest, type ErrorBody,
} from '@cp/contracts';
import { BusClient, BusUnanswered, JobStore, type JobRecord } from '@cp/bus';
import { parseQueryString, queryByUuid } from '@cp/query';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { BUS_CLIENT, JOB_STORE } from '../tokens';
import { authFromHeaders, readerOf } from './auth-header';
import { payloadFromBody, payloadFromQuery, pickByBodyKey } from './request-mapping';
import { ZStackRenderer } from './render';
import { SessionPositions } from './session-positions';
import { zstackDateFormatter } from './zstack-date';

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
}

export interface ApiAnswer {
  status: number;
  /** A JSON body, or a plain-text one (REST-layer errors, as ZStack). */
  json?: unknown;
  text?: string;
}

export const JOBS_PATH = '/zstack/v1/api-jobs/';
const JOB_ID = /^[0-9a-f]{32}$/;

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
export class ZStackApi {
  private readonly renderer: ZStackRenderer;
  private readonly log = new Logger('ZStackApi');

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(BUS_CLIENT) private readonly bus: BusClient,
    @Inject(JOB_STORE) private readonly jobs: JobStore,
    private readonly positions: SessionPositions,
  ) {
    this.renderer = new ZStackRenderer(zstackDateFormatter(config.timeZone));
  }

  /** One route (method + path) may serve several APIs (shared PUT action paths). */
  async call(candidates: readonly ApiEntry[], call: ApiCall): Promise<ApiAnswer> {
    try {
      const api = pickByBodyKey(candidates, call.body, call.url);
      const jobId = this.jobIdOf(call);
      const auth: BusAuth = api.auth === 'session'
        ? authFromHeaders({ method: call.method, url: call.url, authorization: header(call, 'authorization'), date: header(call, 'date') })
        : {};
      const payload = this.payloadOf(api, call);
      const request: BusRequest = { commandId: jobId, correlationId: jobId, auth, payload, via: 'rest' };
      if (api.query) request.minPosition = this.positions.get(readerOf(auth), api.context);
      return api.kind === 'async' ? await this.runAsync(api, request, call) : await this.runSync(api, request, call);
    } catch (error) {
      if (error instanceof RestError) return { status: error.status, text: error.message };
      throw error;
    }
  }

  async poll(jobId: string, call: ApiCall): Promise<ApiAnswer> {
    const record = JOB_ID.test(jobId) ? await this.jobs.get(jobId) : null;
    if (!record) return { status: 404, text: 'the job has been expired' };
    if (record.state === 'pending') {
      return Date.now() > Date.parse(record.deadline)
        ? this.failure(timeoutError(`the job did not finish before its deadline ${record.deadline}`).toBody())
        : { status: 202, json: {} };
    }
    if (!record.ok) return this.failure(record.error);
    const api = apiByName(record.api);
    this.positions.record(record.sessionUuid, api.context, record.position);
    return { status: 200, json: this.renderer.render(api, record.result, header(call, 'x-json-schema') !== undefined) };
  }

  private async runSync(api: ApiEntry, request: BusRequest, call: ApiCall): Promise<ApiAnswer> {
    let reply: BusReply;
    try {
      reply = await this.bus.request(subjectOf(api), request, this.config.busTimeoutMs);
    } catch (error) {
      if (error instanceof BusUnanswered) return this.failure(error.toZStackError().toBody());
      throw error;
    }
    if (!reply.ok) return this.failure(reply.error);
    return { status: 200, json: this.renderer.render(api, reply.result, header(call, 'x-json-schema') !== undefined) };
  }

  private async runAsync(api: ApiEntry, request: BusRequest, call: ApiCall): Promise<ApiAnswer> {
    const jobId = request.commandId;
    const apiTimeoutMs = this.apiTimeoutOf(call);
    try {
      const reply = await this.bus.request(subjectOf(api), request, this.config.fastPathMs);
      if (reply.ok) {
        this.positions.record(readerOf(request.auth), api.context, reply.position);
        return { status: 200, json: this.renderer.render(api, reply.result, header(call, 'x-json-schema') !== undefined) };
      }
      // Errors of async APIs reach ZStack clients through the poll (the service recorded the outcome).
    } catch (error) {
      if (!(error instanceof BusUnanswered)) throw error;
      const record: JobRecord = error.reason === 'timeout'
        ? { state: 'pending', api: api.name, deadline: new Date(Date.now() + apiTimeoutMs).toISOString() }
        : { state: 'done', api: api.name, ok: false, error: error.toZStackError().toBody(), finishedAt: new Date().toISOString() };
      await this.jobs.createIfAbsent(jobId, record);
    }
    const base = this.config.publicUrl || call.baseUrl;
    return { status: 202, json: { location: `${base}${JOBS_PATH}${jobId}`, apiTimeout: apiTimeoutMs } };
  }

  private payloadOf(api: ApiEntry, call: ApiCall): Record<string, unknown> {
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

  private failure(error: ErrorBody): ApiAnswer {
    return { status: 503, json: { error } };
  }
}
