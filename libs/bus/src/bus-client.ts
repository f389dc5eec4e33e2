import { ErrorCode, createInbox, headers as natsHeaders, type Msg, type MsgHdrs, type NatsConnection, type NatsError } from 'nats';
import { ZStackError, invalidArgument, timeoutError, type BusReply, type BusRequest } from '@cp/contracts';
import { REQUEST_ID_HEADER, SpanKind, inSpan, injectTrace, tracingEnabled, type RequestContext } from '@cp/observability';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Why a request got no reply: nobody listens, or nobody answered in time. */
export class BusUnanswered extends Error {
  constructor(readonly reason: 'no-responders' | 'timeout', readonly subject: string) {
    super(reason === 'timeout' ? `no reply on ${subject} in time` : `no service is listening on ${subject}`);
  }

  toZStackError(): ZStackError {
    return timeoutError(this.reason === 'timeout'
      ? `the service did not answer ${this.subject} in time`
      : `no service is available for ${this.subject}`);
  }
}

/**
 * The headers of a request sent while handling `context`: its id (`X-Request-Id`, the correlation
 * id of the service's log lines and events) and the W3C trace context. None outside a request with tracing off.
 */
export function busHeaders(context?: RequestContext): MsgHdrs | undefined {
  const requestId = context?.requestId;
  if (!requestId && !tracingEnabled()) return undefined;
  const h = natsHeaders();
  if (requestId) h.set(REQUEST_ID_HEADER, requestId);
  injectTrace(h);
  return h;
}

/** Request/reply on the bus with our envelopes; every request has a timeout. */
export class BusClient {
  private readonly inbox: ReplyInbox;

  constructor(private readonly nc: NatsConnection) {
    this.inbox = new ReplyInbox(nc);
  }

  /**
   * Sends `request` and waits for its reply. `context`: the request being handled here, whose id
   * goes out in the headers and which learns the caller the service resolved (for its log line).
   */
  async request<R = unknown>(subject: string, request: BusRequest, timeoutMs: number, context?: RequestContext): Promise<BusReply<R>> {
    try {
      const send = () => this.inbox.request(subject, encoder.encode(JSON.stringify(request)), timeoutMs, busHeaders(context));
      // One client span per request when tracing is on; its context goes out in the headers.
      const msg = await (tracingEnabled()
        ? inSpan(`nats ${subject}`, SpanKind.CLIENT, { 'messaging.system': 'nats', 'messaging.destination.name': subject }, send)
        : send());
      const reply = JSON.parse(decoder.decode(msg.data)) as BusReply<R>;
      if (context && reply.account) context.accountUuid = reply.account;
      return reply;
    } catch (error) {
      if ((error as NatsError).code === ErrorCode.MaxPayloadExceeded) {
        throw invalidArgument(`the request is larger than the bus accepts (max_payload ${this.nc.info?.max_payload} bytes)`);
      }
      throw error;
    }
  }
}

interface Waiting {
  subject: string;
  resolve(msg: Msg): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over one subscription to an inbox of this connection (`<inbox>.<token>`), as nats.js
 * muxes its requests, without what its `request` costs on every call: an Error built (stack and all)
 * to cancel a request that has already been answered, and a race of two promises. No reply in time
 * is BusUnanswered('timeout'); the server's 503 status (nobody subscribed) is 'no-responders'.
 */
class ReplyInbox {
  private readonly prefix = `${createInbox()}.`;
  private readonly waiting = new Map<string, Waiting>();
  private subscribed = false;
  private next = 0;

  constructor(private readonly nc: NatsConnection) {}

  request(subject: string, data: Uint8Array, timeoutMs: number, headers?: MsgHdrs): Promise<Msg> {
    if (!this.subscribed) {
      this.subscribed = true;
      this.nc.subscribe(`${this.prefix}*`, { callback: (error, msg) => (error ? undefined : this.answered(msg)) });
    }
    const token = (this.next++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(token);
        reject(new BusUnanswered('timeout', subject));
      }, timeoutMs);
      this.waiting.set(token, { subject, resolve, reject, timer });
      try {
        this.nc.publish(subject, data, { reply: this.prefix + token, headers });
      } catch (error) {
        clearTimeout(timer);
        this.waiting.delete(token);
        reject(error as Error);
      }
    });
  }

  private answered(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length);
    const waiting = this.waiting.get(token);
    if (!waiting) return; // answered after its timeout
    this.waiting.delete(token);
    clearTimeout(waiting.timer);
    if (msg.data.length === 0 && msg.headers?.code === NO_RESPONDERS_STATUS) waiting.reject(new BusUnanswered('no-responders', waiting.subject));
    else waiting.resolve(msg);
  }
}

/** The status the server sends to a request's reply subject when nobody is subscribed to its subject. */
const NO_RESPONDERS_STATUS = 503;
