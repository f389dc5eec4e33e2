import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { PLATFORM_SUBJECTS, adminOnly, operationError, requireSession } from '@cp/contracts';
import { RemoteAuthenticator, uuidFromCommand, type BusMessage, type HandlerOutcome } from '@cp/bus';
import { PlatformConnector } from '../connector/platform-connector';
import { ProbeStore } from '../health/probe.store';
import { PlatformCommands } from './platform-commands';
import { decideCreate, toView } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { asBody, parseCreatePlatform } from './platform-input';

/**
 * CreatePlatform: checks the body and the caller, negotiates the control plane's own credential with
 * the remote (before the reply), and records the platform whether or not that worked, so the
 * operator sees why. One create at a time per replica keeps names unique within it.
 */
@Controller()
export class CreatePlatformHandler {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly commands: PlatformCommands,
    private readonly platforms: PlatformReadModel,
    private readonly auth: RemoteAuthenticator,
    private readonly connector: PlatformConnector,
    private readonly probes: ProbeStore,
  ) {}

  @MessagePattern(PLATFORM_SUBJECTS.create)
  async handle(msg: BusMessage): Promise<HandlerOutcome> {
    const input = parseCreatePlatform(asBody(msg.payload).body);
    const auth = await this.auth.authenticate(msg.auth);
    const caller = requireSession(auth);
    adminOnly(caller, 'Platform API');
    const uuid = uuidFromCommand(msg.commandId, 'platform');
    return this.oneAtATime(async () => {
      if (this.platforms.nameTakenBy(input.name, caller.accountUuid) !== undefined) {
        throw operationError(`a platform called ${input.name} already exists`);
      }
      this.connector.assertAllowed(input.hostIp);
      const negotiated = await this.connector.negotiate(uuid, input, input.username, input.password);
      const done = await this.commands.run(msg, uuid, caller.accountUuid, (state) => decideCreate(uuid, input, state, auth, {
        now: new Date().toISOString(), negotiated,
        nameTaken: (name, owner) => this.platforms.nameTakenBy(name, owner) !== undefined,
      }));
      const entry = await this.probes.record(uuid, negotiated.probe);
      return { result: toView(done.state!, entry.counters), position: done.position, sessionUuid: msg.auth.sessionUuid };
    });
  }

  private oneAtATime<T>(run: () => Promise<T>): Promise<T> {
    const next = this.tail.then(run);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
