import { randomUUID } from 'node:crypto';
import { connect, ErrorCode, type ConnectionOptions, type NatsConnection, type NatsError } from 'nats';
import {
  AUDIT_APIS, BAREMETAL_APIS, IDENTITY_APIS, PLATFORM_APIS, ZStackError, subjectOf, timeoutError,
  type BusAuth, type BusReply, type BusRequest, type Context,
} from '@cp/contracts';

/** Every API with a name of its own (ZStack's and `/api/v1`'s), as the registry declares it. */
type NamedApi = (typeof IDENTITY_APIS)[number] | (typeof BAREMETAL_APIS)[number] | (typeof PLATFORM_APIS)[number] | (typeof AUDIT_APIS)[number];
const NAMED_APIS: readonly NamedApi[] = [...IDENTITY_APIS, ...BAREMETAL_APIS, ...PLATFORM_APIS, ...AUDIT_APIS];

export type ApiName = NamedApi['name'];
type ApiOf<N extends ApiName> = Extract<NamedApi, { name: N }>;
/** The payload of an API: its request class's declared fields (`call` is the service's, never sent). */
export type PayloadOf<N extends ApiName> = Omit<InstanceType<ApiOf<N>['request']>, 'call'>;

export interface CallOptions {
  /** The caller: a session uuid (LogInByAccount's `inventory.uuid`), or a signed request's fields. */
  session?: string;
  auth?: BusAuth;
  /** Commands: the idempotency key (32 lowercase hex); a repeat returns the first outcome. A fresh one by default. */
  commandId?: string;
  /** Read-your-writes: the `position` of your last command's reply; the query waits until the service has applied it. */
  minPosition?: string;
  timeoutMs?: number;
}

/** A reply's result, and for commands the log position of the append (for `minPosition`). */
export type Answer<R> = R & { position?: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The control plane over NATS, typed from the API registry: `call('CreateAccount', {name, password})`
 * sends to `identity.cmd.CreateAccount` with the envelope of docs/nats-bus.md and returns the result,
 * or throws the API's error as a ZStackError (`code`, `details`). No gateway, no Nest: only `nats`.
 */
export class ControlPlaneClient {
  constructor(private readonly nc: NatsConnection, private readonly defaultTimeoutMs = 10_000) {}

  static async connect(servers: string, options: Partial<ConnectionOptions> = {}): Promise<ControlPlaneClient> {
    return new ControlPlaneClient(await connect({ servers, name: 'control-plane-client', ...options }));
  }

  /** Calls an API by its registry name. */
  async call<N extends ApiName, R = Record<string, unknown>>(name: N, payload: PayloadOf<N>, options: CallOptions = {}): Promise<Answer<R>> {
    const api = NAMED_APIS.find((a) => a.name === name);
    if (!api) throw new Error(`no API named ${name} in the registry`);
    return this.request<R>(subjectOf(api), payload as Record<string, unknown>, options);
  }

  /** A service's health (`<context>.query.Health`), answered by one of its replicas. */
  health(context: Context, options: CallOptions = {}): Promise<Answer<Record<string, unknown>>> {
    return this.request(subjectOf({ context, kind: 'query', name: 'Health' }), {}, options);
  }

  /** The envelope on any subject, for bus-only APIs (see docs/nats-bus.md). */
  async request<R>(subject: string, payload: Record<string, unknown>, options: CallOptions = {}): Promise<Answer<R>> {
    const request: BusRequest = {
      commandId: options.commandId ?? randomUUID().replace(/-/g, ''),
      auth: options.auth ?? (options.session !== undefined ? { sessionUuid: options.session } : {}),
      payload,
      ...(options.minPosition !== undefined ? { minPosition: options.minPosition } : {}),
    };
    let reply: BusReply<R>;
    try {
      const msg = await this.nc.request(subject, encoder.encode(JSON.stringify(request)), { timeout: options.timeoutMs ?? this.defaultTimeoutMs });
      reply = JSON.parse(decoder.decode(msg.data)) as BusReply<R>;
    } catch (error) {
      const code = (error as NatsError).code;
      if (code === ErrorCode.NoResponders) throw timeoutError(`no service is available for ${subject}`);
      if (code === ErrorCode.Timeout) throw timeoutError(`the service did not answer ${subject} in time`);
      throw error;
    }
    if (!reply.ok) throw ZStackError.fromBody(reply.error);
    return reply.position === undefined ? reply.result as Answer<R> : { ...reply.result, position: reply.position } as Answer<R>;
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}
