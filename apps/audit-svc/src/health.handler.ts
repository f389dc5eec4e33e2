import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { HealthMsg } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { positionToString, Projection } from '@cp/event-store';
import { OwnershipIndex } from './ownership-index';
import { OWNERSHIP_PROJECTION } from './tokens';

/** `audit.query.Health`: the ownership index's position and size. */
@QueryHandler(HealthMsg)
export class HealthHandler implements IQueryHandler<HealthMsg, HandlerOutcome> {
  constructor(private readonly owners: OwnershipIndex, @Inject(OWNERSHIP_PROJECTION) private readonly projection: Projection) {}

  async execute(): Promise<HandlerOutcome> {
    return { result: { status: 'ok', position: positionToString(this.projection.position), resources: this.owners.size } };
  }
}
