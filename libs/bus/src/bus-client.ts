import { ErrorCode, type NatsConnection, type NatsError } from 'nats';
import { ZStackError, invalidArgument, timeoutError, type BusReply, type BusRequest } from '@cp/contracts';

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

/** Request/reply on the bus with our envelopes; every request has a timeout. */
export class BusClient {
  constructor(private readonly nc: NatsConnection) {}

  async request<R = unknown>(subject: string, request: BusRequest, timeoutMs: number): Promise<BusReply<R>> {
    try {
      const msg = await this.nc.request(subject, encoder.encode(JSON.stringify(request)), { timeout: timeoutMs });
      return JSON.parse(decoder.decode(msg.data)) as BusReply<R>;
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
