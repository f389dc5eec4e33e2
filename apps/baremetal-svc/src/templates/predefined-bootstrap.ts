import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ADMIN_ACCOUNT_UUID, preconfigurationTemplateStreamId, type PreconfigurationTemplateEvent } from '@cp/contracts';
import { Projection, WrongExpectedVersionError, type EventStore } from '@cp/event-store';
import { decide } from '@cp/domain/baremetal';
import { EVENT_STORE } from '@cp/bus';
import { TEMPLATE_PROJECTION } from '../tokens';
import { loadPredefinedTemplates, type PredefinedTemplate } from './predefined-templates';

/** 32 hex digits from a name, stable across restarts, replicas and releases. */
const stableHex = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** The uuid of a predefined template: the same everywhere, so no start can add it twice. */
export const predefinedTemplateUuid = (name: string) => stableHex(`baremetal:predefined-template:${name}`);

/**
 * The predefined templates of §5, written once as events at the first start (owner admin,
 * `isPredefined: true`). Each is appended with `noStream` and a fixed commit id: a restart, or a
 * second replica starting at the same moment, adds nothing. A template deleted from a later release
 * stays in the log; one added is written at the next start.
 */
@Injectable()
export class PredefinedTemplatesBootstrap implements OnApplicationBootstrap {
  private readonly log = new Logger('PredefinedTemplates');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TEMPLATE_PROJECTION) private readonly projection: Projection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    let added = 0;
    for (const template of loadPredefinedTemplates()) {
      if (await this.addOnce(template)) added++;
    }
    if (added > 0) this.log.log(`added ${added} predefined preconfiguration templates`);
  }

  private async addOnce(template: PredefinedTemplate): Promise<boolean> {
    const uuid = predefinedTemplateUuid(template.name);
    const streamId = preconfigurationTemplateStreamId(uuid);
    if ((await this.store.readStream(streamId)).version !== null) return false;
    const now = new Date().toISOString();
    const events: PreconfigurationTemplateEvent[] = decide({
      type: 'AddPreconfigurationTemplate', data: { uuid, ...template },
      auth: { ok: true, caller: { accountUuid: ADMIN_ACCOUNT_UUID, userUuid: ADMIN_ACCOUNT_UUID } }, now, predefined: true,
    }, null);
    const commitId = stableHex(`baremetal:predefined-template-commit:${template.name}`);
    try {
      const result = await this.store.append(streamId, events, 'noStream', {
        commitId,
        metadata: {
          commandId: commitId, correlationId: commitId, causationId: commitId,
          actor: { accountUuid: null, via: 'system' }, occurredAt: now,
        },
      });
      await this.projection.waitFor(result.position, 30_000);
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
  }
}
