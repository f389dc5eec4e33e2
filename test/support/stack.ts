import type { INestMicroservice } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startService } from '@cp/bus';
import { NatsServer, TEST_APP_ENV, freePort, freshMasterKeyEnv, stackApp, stackEnv, type ServiceApp, type ServiceName } from '@cp/testing';
import { startGateway } from '../../apps/gateway/src/app';
import { loadGatewayConfig, type GatewayConfig } from '../../apps/gateway/src/config';
import { loadIdentityConfig, type IdentityConfig } from '../../apps/identity-svc/src/config';
import { IdentityModule } from '../../apps/identity-svc/src/identity.module';
import { BaremetalModule } from '../../apps/baremetal-svc/src/baremetal.module';
import { loadBaremetalConfig, type BaremetalConfig } from '../../apps/baremetal-svc/src/config';
import { PlatformModule } from '../../apps/platform-svc/src/platform.module';
import { loadPlatformConfig, type PlatformConfig } from '../../apps/platform-svc/src/config';
import { AuditModule } from '../../apps/audit-svc/src/audit.module';
import { loadAuditConfig } from '../../apps/audit-svc/src/config';

/** SHA-512 hex of "password", as ZStack clients send it for the built-in admin. */
export const ADMIN_PASSWORD = 'b109f3bbbc244eb82441917ed06d618b9008dd09b3befd1b5e07394c706a8bb980b1d7785e5976ec049b46df5f1326af5a2ea6d103fd07c95385ffab0cacbc86';

export interface StackOptions {
  /** Environment overrides for the apps' config loaders. */
  env?: Record<string, string>;
}

/** A service's bus identity, from the app table that `npm start` and the benches launch from. */
const bus = (service: ServiceName): Pick<ServiceApp, 'context' | 'name'> => {
  const { context, name } = stackApp(service);
  return { context, name };
};

/**
 * The whole stack for an e2e file: a private nats-server (own port, temporary store), identity-svc,
 * baremetal-svc, platform-svc, audit-svc and the gateway in this process, talking over real NATS, served on a real HTTP port.
 */
export class TestStack {
  private identity: INestMicroservice | null = null;
  private baremetal: INestMicroservice | null = null;
  private platform: INestMicroservice | null = null;
  private audit: INestMicroservice | null = null;
  private gateway: NestFastifyApplication | null = null;

  private constructor(
    readonly nats: NatsServer,
    readonly identityConfig: IdentityConfig,
    readonly gatewayConfig: GatewayConfig,
    readonly baremetalConfig: BaremetalConfig,
    readonly platformConfig: PlatformConfig,
  ) {}

  static async start(options: StackOptions = {}): Promise<TestStack> {
    const nats = await NatsServer.start();
    const env = {
      ...stackEnv(nats.url, await freePort()), ...TEST_APP_ENV,
      // The master key (a fresh one per stack): identity-svc seals access key secrets with it, platform-svc data keys.
      ...freshMasterKeyEnv(),
      ...options.env,
    };
    const stack = new TestStack(nats, loadIdentityConfig(env), loadGatewayConfig(env), loadBaremetalConfig(env), loadPlatformConfig(env));
    await stack.startIdentity();
    await stack.startBaremetal();
    await stack.startPlatform();
    await stack.startAudit(env);
    stack.gateway = await startGateway(stack.gatewayConfig);
    return stack;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.gatewayConfig.port}`;
  }

  async startIdentity(config: IdentityConfig = this.identityConfig): Promise<INestMicroservice> {
    this.identity = await startService({
      ...bus('identity-svc'), module: IdentityModule.forRoot(config),
    });
    return this.identity;
  }

  async stopIdentity(): Promise<void> {
    await this.identity?.close();
    this.identity = null;
  }

  async startBaremetal(config: BaremetalConfig = this.baremetalConfig): Promise<INestMicroservice> {
    this.baremetal = await startService({
      ...bus('baremetal-svc'), module: BaremetalModule.forRoot(config),
    });
    return this.baremetal;
  }

  async stopBaremetal(): Promise<void> {
    await this.baremetal?.close();
    this.baremetal = null;
  }

  async startPlatform(config: PlatformConfig = this.platformConfig): Promise<INestMicroservice> {
    this.platform = await startService({
      ...bus('platform-svc'), module: PlatformModule.forRoot(config),
    });
    return this.platform;
  }

  async stopPlatform(): Promise<void> {
    await this.platform?.close();
    this.platform = null;
  }

  async startAudit(env: Record<string, string>): Promise<void> {
    const config = loadAuditConfig(env);
    this.audit = await startService({
      ...bus('audit-svc'), module: AuditModule.forRoot(config),
    });
  }

  /** A second platform-svc on the same NATS (for the monitor's single-replica test); the caller closes it. */
  startPlatformReplica(): Promise<INestMicroservice> {
    const config = this.platformConfig;
    return startService({
      ...bus('platform-svc'), module: PlatformModule.forRoot(config), logger: false,
    });
  }

  platformApp(): INestMicroservice {
    if (!this.platform) throw new Error('platform-svc is not running');
    return this.platform;
  }

  identityApp(): INestMicroservice {
    if (!this.identity) throw new Error('identity-svc is not running');
    return this.identity;
  }

  async stop(): Promise<void> {
    await this.gateway?.close();
    await this.audit?.close();
    await this.stopPlatform();
    await this.stopBaremetal();
    await this.stopIdentity();
    await this.nats.stop();
  }
}
