import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import type { RequestContext } from '@cp/observability';
import { AUTHENTICATE_SUBJECT, ZStackError, type Auth, type BusAuth, type Caller } from '@cp/contracts';
import { BusClient, BusUnanswered } from './bus-client';
import { noteCaller } from './job-owner';

/**
 * How a service other than identity-svc learns who calls: it asks identity-svc
 * (AUTHENTICATE_SUBJECT); sessions, virtual IDs and access key secrets live there only. An invalid
 * session comes back as the domain's `Auth` error, to be thrown in ZStack's order; identity-svc not
 * answering is SYS.1001 at once.
 */
export class RemoteAuthenticator {
  private readonly bus: BusClient;

  constructor(nc: NatsConnection, private readonly timeoutMs: number) {
    this.bus = new BusClient(nc);
  }

  /** `context`: the request being handled here, whose id identity-svc's log line carries too. */
  async authenticate(auth: BusAuth, context?: RequestContext): Promise<Auth> {
    try {
      const reply = await this.bus.request<{ caller: Caller }>(AUTHENTICATE_SUBJECT, {
        commandId: randomUUID().replace(/-/g, ''), auth, payload: {},
      }, this.timeoutMs, context);
      if (!reply.ok) return { ok: false, error: ZStackError.fromBody(reply.error) };
      noteCaller(auth, reply.result.caller);
      return { ok: true, caller: reply.result.caller };
    } catch (error) {
      if (error instanceof BusUnanswered) throw error.toZStackError();
      throw error;
    }
  }
}
