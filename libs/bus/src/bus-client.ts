import { ErrorCode, headers as natsHeaders, type MsgHdrs, type NatsConnection, type NatsError } from 'nats';
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
  constructor(private readonly nc: NatsConnection) {}

  /**
   * Sends `request` and waits for its reply. `context`: the request being handled here, whose id
   * goes out in the headers and which learns the caller the service resolved (for its log line).
   */
  async request<R = unknown>(subject: string, request: BusRequest, timeoutMs: number, context?: RequestContext): Promise<BusReply<R>> {
    try {
      const send = () => this.nc.request(subject, encoder.encode(JSON.stringify(request)), { timeout: timeoutMs, headers: busHeaders(context) });
      // One client span per request when tracing is on; its context goes out in the headers.
      const msg = await (tracingEnabled()
        ? inSpan(`nats ${subject}`, SpanKind.CLIENT, { 'messaging.system': 'nats', 'messaging.destination.name': subject }, send)
        : send());
      const reply = JSON.parse(decoder.decode(msg.data)) as BusReply<R>;
      if (context && reply.account) context.accountUuid = reply.account;
      return reply;
    } catch (error) {
      const code = (error as NatsError).code;
      if (code === ErrorCode.NoResponders) throw new BusUnanswered('no-responders', subject);
      if (code === ErrorCode.Timeout) throw new BusUnanswered('timeout', subject);
      if (code === ErrorCode.MaxPayloadExceeded) {
        throw invalidArgument(`the request is larger than the bus accepts (max_payload ${this.nc.info?.max_payload} bytes)`);
      }
      throw error;
    }
  }
}
