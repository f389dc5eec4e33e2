import type { Auth } from './caller';
import type { BusAuth } from './bus';

/** One bus request as a service receives it, decoded and checked (libs/bus decodes the envelope). */
export interface BusMessage<P = Record<string, unknown>> {
  subject: string;
  /** The API name: the last part of the subject (`CreateAccount`). */
  api: string;
  commandId: string;
  correlationId: string;
  /** The credential as sent (a session, or a signed request's fields). */
  auth: BusAuth;
  payload: P;
  minPosition: bigint | null;
  via: 'rest' | 'nats' | 'system';
  /** The HTTP client's address, relayed by the gateway (`via: 'rest'` only; BusRequest.clientAddress). */
  clientAddress?: string;
  /**
   * This attempt took over a job whose earlier attempt may have appended before it died: the command
   * cycle reads the aggregate from the store and finds that attempt's commit instead of deciding again.
   */
  recovering: boolean;
}

/** How a message reached its handler: the bus request, and the caller the pipeline resolved from its credential. */
export interface ApiCallContext {
  bus: BusMessage;
  /**
   * The caller, or why there is none (an invalid session is thrown by the handler in ZStack's order,
   * after the resource checks). APIs declared `access: 'none'` get NO_CALLER.
   */
  auth: Auth;
}

/**
 * The base of every request class in the API registry, as ZStack's APIMessage: the declared fields
 * come from the wire (validated), `call` is set by the service's bus pipeline after validation and
 * authentication and is never read from a payload. The request object is what `@nestjs/cqrs`
 * dispatches: a handler is `@CommandHandler(APIUpdateAccountMsg)` (or `@QueryHandler`).
 */
export abstract class ApiMessage {
  declare call: ApiCallContext;
}
