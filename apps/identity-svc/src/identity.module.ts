import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { connectNats } from '@cp/bus';
import { createEventStore, Projection, type EventStore } from '@cp/event-store';
import { AccountCommands } from './accounts/account-commands';
import { AccountReadModel } from './accounts/account.read-model';
import { AdminBootstrap } from './accounts/admin-bootstrap';
import { CreateAccountHandler } from './accounts/create-account/create-account.handler';
import { DeleteAccountHandler } from './accounts/delete-account/delete-account.handler';
import { QueryAccountHandler } from './accounts/query-account/query-account.handler';
import { UpdateAccountHandler } from './accounts/update-account/update-account.handler';
import { IDENTITY_CONFIG, type IdentityConfig } from './config';
import { HealthHandler } from './health.handler';
import { PasswordHasher } from './passwords/password-hasher';
import { AccountLogin } from './sessions/account-login';
import { LoginGuard } from './sessions/login-guard';
import { LoginLockoutStore } from './sessions/login-lockout.store';
import { Authenticator } from './sessions/authenticator';
import { LogInByAccountHandler } from './sessions/log-in-by-account/log-in-by-account.handler';
import { LogInHandler } from './sessions/log-in/log-in.handler';
import { LogOutHandler } from './sessions/log-out/log-out.handler';
import { RenewSessionHandler } from './sessions/renew-session/renew-session.handler';
import { SessionStore } from './sessions/session.store';
import { ValidateSessionHandler } from './sessions/validate-session/validate-session.handler';
import { ACCOUNT_PROJECTION, EVENT_STORE, NATS_CONNECTION } from './tokens';

/** Sweeps expired sessions, and closes what the service holds in order on shutdown. */
@Injectable()
class IdentityLifecycle implements OnModuleInit, OnApplicationShutdown {
  private sweeper: NodeJS.Timeout | null = null;
  private readonly log = new Logger('IdentityLifecycle');

  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCOUNT_PROJECTION) private readonly projection: Projection,
    private readonly sessions: SessionStore,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      this.sessions.sweepExpired(Date.now())
        .then((n) => n > 0 && this.log.log(`removed ${n} expired sessions`))
        .catch((error) => this.log.warn(`session sweep failed: ${(error as Error).message}`));
    }, this.config.sessionCleanupIntervalSec * 1000);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.projection.stop();
    this.sessions.close();
    await this.store.close();
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}

@Module({})
export class IdentityModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityModule,
      controllers: [
        CreateAccountHandler, UpdateAccountHandler, DeleteAccountHandler, QueryAccountHandler,
        LogInByAccountHandler, LogInHandler, LogOutHandler, ValidateSessionHandler, RenewSessionHandler, HealthHandler,
      ],
      providers: [
        { provide: IDENTITY_CONFIG, useValue: config },
        { provide: NATS_CONNECTION, useFactory: () => connectNats(config.natsUrl, 'identity-svc') },
        {
          provide: EVENT_STORE,
          inject: [NATS_CONNECTION],
          useFactory: (nc: NatsConnection) => createEventStore(config.eventStore, nc, 'identity'),
        },
        AccountReadModel,
        {
          provide: ACCOUNT_PROJECTION,
          inject: [EVENT_STORE, AccountReadModel],
          useFactory: async (store: EventStore, model: AccountReadModel) => {
            const projection = new Projection(store, model);
            await projection.start();
            return projection;
          },
        },
        { provide: SessionStore, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => SessionStore.open(nc) },
        { provide: PasswordHasher, useValue: new PasswordHasher(config.scrypt) },
        Authenticator,
        AccountLogin,
        LoginGuard,
        { provide: LoginLockoutStore, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => LoginLockoutStore.open(nc) },
        AccountCommands,
        AdminBootstrap,
        IdentityLifecycle,
      ],
    };
  }
}
