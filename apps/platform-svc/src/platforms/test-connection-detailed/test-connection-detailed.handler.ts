import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TestConnectionDetailedMsg, adminOnly, requireSession } from '@cp/contracts';
import type { HandlerOutcome } from '@cp/bus';
import { PlatformConnector } from '../../connector/platform-connector';
import { testConnectionInput } from '../request-input';

/** TestConnectionDetailed: any endpoint and key, admin only (it makes the server connect where the caller says); nothing recorded. */
@QueryHandler(TestConnectionDetailedMsg)
export class TestConnectionDetailedHandler implements IQueryHandler<TestConnectionDetailedMsg, HandlerOutcome> {
  constructor(private readonly connector: PlatformConnector) {}

  async execute(msg: TestConnectionDetailedMsg): Promise<HandlerOutcome> {
    const input = testConnectionInput(msg.body);
    adminOnly(requireSession(msg.call.auth), 'Platform API');
    return { result: await this.connector.testConnection(input) };
  }
}
