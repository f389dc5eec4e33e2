import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AUDIT_SUBJECTS, healthSubject, invalidArgument, requireSession } from '@cp/contracts';
import { RemoteAuthenticator, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { positionToString, Projection } from '@cp/event-store';
import { parseAsOf, parseEventFilter } from './audit-input';
import { AuditLog } from './audit-log';
import { OwnershipIndex } from './ownership-index';
import { OWNERSHIP_PROJECTION } from './tokens';

/** `audit.query.*`: the same answers over the bus as the Audit API gives over REST. */
@Controller()
export class AuditHandler {
  constructor(
    private readonly log: AuditLog,
    private readonly auth: RemoteAuthenticator,
    private readonly owners: OwnershipIndex,
    @Inject(OWNERSHIP_PROJECTION) private readonly projection: Projection,
  ) {}

  @MessagePattern(AUDIT_SUBJECTS.events)
  async events(msg: BusMessage): Promise<HandlerOutcome> {
    const filter = parseEventFilter(msg.payload);
    const caller = requireSession(await this.auth.authenticate(msg.auth));
    return { result: await this.log.page(filter, caller) };
  }

  @MessagePattern(AUDIT_SUBJECTS.history)
  async history(msg: BusMessage): Promise<HandlerOutcome> {
    const caller = requireSession(await this.auth.authenticate(msg.auth));
    return { result: await this.log.history(uuidOf(msg.payload), caller) };
  }

  @MessagePattern(AUDIT_SUBJECTS.asOf)
  async asOf(msg: BusMessage): Promise<HandlerOutcome> {
    const { asOf: given, uuid: _uuid, ...rest } = msg.payload as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw invalidArgument(`unknown query parameter[${Object.keys(rest)[0].slice(0, 100)}]; known: asOf`);
    const at = parseAsOf(given);
    if (!at) throw invalidArgument('query parameter[asOf] is mandatory: an ISO-8601 time or a log position');
    const caller = requireSession(await this.auth.authenticate(msg.auth));
    return { result: await this.log.asOf(uuidOf(msg.payload), at, caller) };
  }

  @MessagePattern(healthSubject('audit'))
  health(): HandlerOutcome {
    return { result: { status: 'ok', position: positionToString(this.projection.position), resources: this.owners.size } };
  }
}

function uuidOf(payload: unknown): string {
  const uuid = (payload as { uuid?: unknown })?.uuid;
  if (typeof uuid !== 'string' || !/^[0-9a-f]{32}$/.test(uuid)) throw invalidArgument('the resource uuid must be 32 lowercase hex digits');
  return uuid;
}
