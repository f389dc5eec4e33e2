import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { CALLER_AUTHENTICATOR, READ_MODELS, READ_MODEL_HANDLERS, connectNats } from '@cp/bus';
import { createEventStore, startProjection, type EventStore, type Projection } from '@cp/event-store';
import { AccountCommands } from './accounts/account-commands';
import { AccountReadModel, IAM2VirtualIDReadModel, AccessKeyReadModel } from '@cp/read-models/identity';
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
import { AuthenticateHandler } from './sessions/authenticate/authenticate.handler';
import { LogInByAccountHandler } from './sessions/log-in-by-account/log-in-by-account.handler';
import { LogInHandler } from './sessions/log-in/log-in.handler';
import { LogOutHandler } from './sessions/log-out/log-out.handler';
import { RenewSessionHandler } from './sessions/renew-session/renew-session.handler';
import { SessionStore } from './sessions/session.store';
import { ValidateSessionHandler } from './sessions/validate-session/validate-session.handler';
import { ACCOUNT_PROJECTION, EVENT_STORE, IAM2_VIRTUAL_ID_PROJECTION, NATS_CONNECTION } from './tokens';
import { AddAttributesToIAM2VirtualIDHandler } from './iam2/add-attributes-to-iam2-virtual-id/add-attributes-to-iam2-virtual-id.handler';
import { ChangeIAM2VirtualIDStateHandler } from './iam2/change-iam2-virtual-id-state/change-iam2-virtual-id-state.handler';
import { ChangeIAM2VirtualIDTypeHandler } from './iam2/change-iam2-virtual-id-type/change-iam2-virtual-id-type.handler';
import { CreateIAM2VirtualIDHandler } from './iam2/create-iam2-virtual-id/create-iam2-virtual-id.handler';
import { DeleteIAM2VirtualIDHandler } from './iam2/delete-iam2-virtual-id/delete-iam2-virtual-id.handler';
import { LoginIAM2VirtualIDHandler } from './iam2/login-iam2-virtual-id/login-iam2-virtual-id.handler';
import { QueryIAM2VirtualIDAttributeHandler } from './iam2/query-iam2-virtual-id-attribute/query-iam2-virtual-id-attribute.handler';
import { QueryIAM2VirtualIDHandler } from './iam2/query-iam2-virtual-id/query-iam2-virtual-id.handler';
import { RemoveAttributesFromIAM2VirtualIDHandler } from './iam2/remove-attributes-from-iam2-virtual-id/remove-attributes-from-iam2-virtual-id.handler';
import { UpdateIAM2VirtualIDAttributeHandler } from './iam2/update-iam2-virtual-id-attribute/update-iam2-virtual-id-attribute.handler';
import { UpdateIAM2VirtualIDHandler } from './iam2/update-iam2-virtual-id/update-iam2-virtual-id.handler';
import { IAM2VirtualIDCommands } from './iam2/virtual-id-commands';
import { KeyRing } from '@cp/crypto';
import { AccessKeyCommands, AccessKeyLifecycle } from './access-keys/access-key-commands';
import { AccessKeySecrets } from './access-keys/access-key-secrets';
import { ChangeAccessKeyStateHandler } from './access-keys/change-access-key-state/change-access-key-state.handler';
import { CreateAccessKeyHandler } from './access-keys/create-access-key/create-access-key.handler';
import { DeleteAccessKeyHandler } from './access-keys/delete-access-key/delete-access-key.handler';
import { QueryAccessKeyHandler } from './access-keys/query-access-key/query-access-key.handler';
import { ACCESS_KEY_PROJECTION } from './tokens';

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
    @Inject(IAM2_VIRTUAL_ID_PROJECTION) private readonly virtualIdProjection: Projection,
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
    await this.virtualIdProjection.stop();
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
      providers: [
        // One handler per API of the registry's `identity` context (the service refuses to start without one).
        CreateAccountHandler, UpdateAccountHandler, DeleteAccountHandler, QueryAccountHandler,
        LogInByAccountHandler, LogInHandler, LogOutHandler, ValidateSessionHandler, RenewSessionHandler, HealthHandler, AuthenticateHandler,
        CreateIAM2VirtualIDHandler, DeleteIAM2VirtualIDHandler, UpdateIAM2VirtualIDHandler, ChangeIAM2VirtualIDStateHandler,
        ChangeIAM2VirtualIDTypeHandler, AddAttributesToIAM2VirtualIDHandler, RemoveAttributesFromIAM2VirtualIDHandler,
        UpdateIAM2VirtualIDAttributeHandler, QueryIAM2VirtualIDHandler, QueryIAM2VirtualIDAttributeHandler, LoginIAM2VirtualIDHandler,
        CreateAccessKeyHandler, DeleteAccessKeyHandler, ChangeAccessKeyStateHandler, QueryAccessKeyHandler,
        ...READ_MODEL_HANDLERS,
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
          inject: [EVENT_STORE, AccountReadModel, NATS_CONNECTION],
          useFactory: (store: EventStore, model: AccountReadModel, nc: NatsConnection) => startProjection(store, model, nc, config.eventStore, 'identity.accounts'),
        },
        IAM2VirtualIDReadModel,
        {
          provide: IAM2_VIRTUAL_ID_PROJECTION,
          inject: [EVENT_STORE, IAM2VirtualIDReadModel, NATS_CONNECTION],
          useFactory: (store: EventStore, model: IAM2VirtualIDReadModel, nc: NatsConnection) => startProjection(store, model, nc, config.eventStore, 'identity.iam2-virtual-ids'),
        },
        { provide: SessionStore, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => SessionStore.open(nc) },
        { provide: PasswordHasher, useValue: new PasswordHasher(config.scrypt) },
        Authenticator,
        // The bus pipeline resolves every caller through identity's own Authenticator (the other services ask it remotely).
        { provide: CALLER_AUTHENTICATOR, useExisting: Authenticator },
        AccountLogin,
        LoginGuard,
        { provide: LoginLockoutStore, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => LoginLockoutStore.open(nc) },
        AccountCommands,
        IAM2VirtualIDCommands,
        // Access keys: the master key ring seals their secrets (config.keyRing prints as key ids only).
        { provide: KeyRing, useValue: config.keyRing },
        AccessKeySecrets,
        AccessKeyReadModel,
        {
          provide: ACCESS_KEY_PROJECTION,
          inject: [EVENT_STORE, AccessKeyReadModel, NATS_CONNECTION],
          useFactory: (store: EventStore, model: AccessKeyReadModel, nc: NatsConnection) => startProjection(store, model, nc, config.eventStore, 'identity.access-keys'),
        },
        AccessKeyCommands,
        AccessKeyLifecycle,
        AdminBootstrap,
        {
          provide: READ_MODELS,
          inject: [ACCOUNT_PROJECTION, IAM2_VIRTUAL_ID_PROJECTION, ACCESS_KEY_PROJECTION, AccountReadModel],
          useFactory: (accounts: Projection, virtualIds: Projection, keys: Projection, accountModel: AccountReadModel) => [
            { name: 'identity.accounts', projection: accounts, fresh: () => new AccountReadModel() },
            { name: 'identity.iam2-virtual-ids', projection: virtualIds, fresh: () => new IAM2VirtualIDReadModel() },
            { name: 'identity.access-keys', projection: keys, fresh: () => new AccessKeyReadModel(accountModel) },
          ],
        },
        IdentityLifecycle,
      ],
    };
  }
}
