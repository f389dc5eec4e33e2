import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NO_CALLER, type BusMessage } from '@cp/bus';
import type { ApiMessage } from '@cp/contracts';
import { decide, healthOf, type PlatformState } from '@cp/domain/platform';
import { PlatformReadModel } from '@cp/read-models/platform';
import { PLATFORM_CONFIG, type PlatformConfig } from '../config';
import { PlatformConnector } from '../connector/platform-connector';
import { PlatformCommands } from '../platforms/platform-commands';
import { MonitorLease } from './monitor-lease';
import { ProbeStore } from './probe.store';
import { observePlatformProbe, watchPlatforms } from '@cp/observability';

/** What a monitor tick did, for tests and logs. */
export interface TickReport {
  leader: boolean;
  probed: number;
  changed: number;
}

/**
 * The health process manager: every probe interval, the replica holding the monitor lease probes
 * every platform with monitoring on, at most `probeConcurrency` at once, counts each probe in the
 * probe store, and appends PlatformStatusChanged / PlatformHealthChanged only when a platform's
 * status or health changes. The other replicas keep trying to take the lease. A tick still running
 * when the next is due is not overlapped.
 */
@Injectable()
export class HealthMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('HealthMonitor');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TickReport> | null = null;
  private stopped = false;
  private unwatch: (() => void) | null = null;
  readonly stats = { ticks: 0, probes: 0, changes: 0, failures: 0, lastRoundMs: 0, lastRoundProbed: 0 };

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly lease: MonitorLease,
    private readonly platforms: PlatformReadModel,
    private readonly connector: PlatformConnector,
    private readonly probes: ProbeStore,
    private readonly commands: PlatformCommands,
  ) {}

  onApplicationBootstrap(): void {
    this.unwatch = watchPlatforms(() => this.platforms.all());
    if (!this.config.monitor) return;
    this.timer = setInterval(() => void this.tick(), this.config.probeIntervalMs);
    this.timer.unref();
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.lease.release();
  }

  /** One round: take or renew the lease; if held, probe every monitored platform. */
  tick(): Promise<TickReport> {
    if (this.running) return this.running;
    this.running = this.round().finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<TickReport> {
    this.stats.ticks++;
    if (this.stopped || !(await this.lease.tick())) return { leader: false, probed: 0, changed: 0 };
    const started = Date.now();
    const due = this.platforms.all().filter((p) => p.features.monitoring && p.credential !== null);
    let changed = 0;
    let next = 0;
    const worker = async () => {
      while (next < due.length && !this.stopped) {
        const platform = due[next++];
        try {
          if (await this.probeOne(platform)) changed++;
        } catch (error) {
          this.stats.failures++;
          this.log.warn(`probe of platform ${platform.uuid} could not be recorded: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.config.probeConcurrency, due.length) }, worker));
    this.stats.changes += changed;
    this.stats.lastRoundMs = Date.now() - started;
    this.stats.lastRoundProbed = due.length;
    return { leader: true, probed: due.length, changed };
  }

  /** Probes one platform; whether its status or health changed (and so an event was written). */
  private async probeOne(platform: PlatformState): Promise<boolean> {
    const { probe } = await this.connector.probe(platform);
    this.stats.probes++;
    observePlatformProbe(probe.ok, probe.latencyMs);
    const entry = await this.probes.record(platform.uuid, probe);
    const next = healthOf(entry.recent, this.config.latencyThresholdMs);
    const commandId = randomUUID().replace(/-/g, '');
    const bus: BusMessage = {
      subject: 'platform.monitor', api: 'HealthProbe', commandId, correlationId: commandId,
      auth: {}, payload: {}, minPosition: null, via: 'system', recovering: false,
    };
    // The monitor is nobody's request: no caller, so the events record no actor.
    const msg: ApiMessage = { call: { bus, auth: NO_CALLER } };
    // Decided against the state the append starts from: a platform deleted meanwhile gets nothing.
    const done = await this.commands.run(msg, platform.uuid, (state) =>
      decide({ type: 'RecordPlatformProbe', data: { uuid: platform.uuid, probes: entry.recent, next } }, state));
    return done.position !== null;
  }
}
