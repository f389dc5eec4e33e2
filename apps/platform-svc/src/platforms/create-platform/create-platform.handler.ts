import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CreatePlatformMsg, adminOnly, operationError, requireSession } from '@cp/contracts';
import { uuidFromCommand, type HandlerOutcome } from '@cp/bus';
import { decide, toView } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PlatformConnector } from '../../connector/platform-connector';
import { ProbeStore } from '../../health/probe.store';
import { PlatformCommands } from '../platform-commands';
import { createInput } from '../request-input';

/**
 * CreatePlatform: checks the body and the caller, negotiates the control plane's own credential with
 * the remote (before the reply), and records the platform whether or not that worked, so the
 * operator sees why. One create at a time per replica keeps names unique within it.
 */
@CommandHandler(CreatePlatformMsg)
export class CreatePlatformHandler implements ICommandHandler<CreatePlatformMsg, HandlerOutcome> {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly commands: PlatformCommands,
    private readonly platforms: PlatformReadModel,
    private readonly connector: PlatformConnector,
    private readonly probes: ProbeStore,
  ) {}

  async execute(msg: CreatePlatformMsg): Promise<HandlerOutcome> {
    const input = createInput(msg.body);
    const auth = msg.call.auth;
    const caller = requireSession(auth);
    adminOnly(caller, 'Platform API');
    const uuid = uuidFromCommand(msg.call.bus.commandId, 'platform');
    return this.oneAtATime(async () => {
      if (this.platforms.nameTakenBy(input.name, caller.accountUuid) !== undefined) {
        throw operationError(`a platform called ${input.name} already exists`);
      }
      this.connector.assertAllowed(input.hostIp);
      const negotiated = await this.connector.negotiate(uuid, input, input.username, input.password);
      // The name is asked again as decide runs: it may have been taken while the credential was negotiated.
      const done = await this.commands.run(msg, uuid, (state) => decide({
        type: 'CreatePlatform', data: { uuid, ...input }, auth, now: new Date().toISOString(), negotiated,
        nameTaken: this.platforms.nameTakenBy(input.name, caller.accountUuid) !== undefined,
      }, state));
      const entry = await this.probes.record(uuid, negotiated.probe);
      return { result: toView(done.state!, entry.counters), position: done.position };
    });
  }

  private oneAtATime<T>(run: () => Promise<T>): Promise<T> {
    const next = this.tail.then(run);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
