import { Module, type DynamicModule } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { CALLER_AUTHENTICATOR, CLOSE_FIRST, HEALTH_DETAILS, JOB_SEALER, NATS_CONNECTION, serviceProviders, type Closable } from '@cp/bus';
import { AccountCommands } from './accounts/account-commands';
import { AccountReadModel, IAM2VirtualIDReadModel, AccessKeyReadModel } from '@cp/read-models/identity';
import { AdminBootstrap } from './accounts/admin-bootstrap';
import { CreateAccountHandler } from './accounts/create-account/create-account.handler';
import { DeleteAccountHandler } from './accounts/delete-account/delete-account.handler';
import { QueryAccountHandler } from './accounts/query-account/query-account.handler';
import { UpdateAccountHandler } from './accounts/update-account/update-account.handler';
import { IDENTITY_CONFIG, type IdentityConfig } from './config';
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
import { SessionSweeper } from './sessions/session-sweeper';
import { ValidateSessionHandler } from './sessions/validate-session/validate-session.handler';
import { ACCESS_KEY_PROJECTION, ACCOUNT_PROJECTION, IAM2_VIRTUAL_ID_PROJECTION } from './tokens';
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
import { AccessKeyCommands } from './access-keys/access-key-commands';
import { AccessKeySecrets } from './access-keys/access-key-secrets';
import { ChangeAccessKeyStateHandler } from './access-keys/change-access-key-state/change-access-key-state.handler';
import { CreateAccessKeyHandler } from './access-keys/create-access-key/create-access-key.handler';
import { DeleteAccessKeyHandler } from './access-keys/delete-access-key/delete-access-key.handler';
import { QueryAccessKeyHandler } from './access-keys/query-access-key/query-access-key.handler';

@Module({})
export class IdentityModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityModule,
      providers: [
        ...serviceProviders({
          name: 'identity-svc', context: 'identity', config, authenticator: 'module',
          readModels: [
            { name: 'identity.accounts', model: AccountReadModel, projection: ACCOUNT_PROJECTION, fresh: () => new AccountReadModel() },
            { name: 'identity.iam2-virtual-ids', model: IAM2VirtualIDReadModel, projection: IAM2_VIRTUAL_ID_PROJECTION, fresh: () => new IAM2VirtualIDReadModel() },
            {
              name: 'identity.access-keys', model: AccessKeyReadModel, projection: ACCESS_KEY_PROJECTION,
              fresh: (get) => new AccessKeyReadModel(get(AccountReadModel)),
            },
          ],
        }),
        // One handler per API of the registry's `identity` context (the service refuses to start without one).
        CreateAccountHandler, UpdateAccountHandler, DeleteAccountHandler, QueryAccountHandler,
        LogInByAccountHandler, LogInHandler, LogOutHandler, ValidateSessionHandler, RenewSessionHandler, AuthenticateHandler,
        CreateIAM2VirtualIDHandler, DeleteIAM2VirtualIDHandler, UpdateIAM2VirtualIDHandler, ChangeIAM2VirtualIDStateHandler,
        ChangeIAM2VirtualIDTypeHandler, AddAttributesToIAM2VirtualIDHandler, RemoveAttributesFromIAM2VirtualIDHandler,
        UpdateIAM2VirtualIDAttributeHandler, QueryIAM2VirtualIDHandler, QueryIAM2VirtualIDAttributeHandler, LoginIAM2VirtualIDHandler,
        CreateAccessKeyHandler, DeleteAccessKeyHandler, ChangeAccessKeyStateHandler, QueryAccessKeyHandler,
        { provide: IDENTITY_CONFIG, useValue: config },
        { provide: HEALTH_DETAILS, inject: [AccountReadModel], useFactory: (accounts: AccountReadModel) => () => ({ accounts: accounts.size }) },
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
        // ... and CreateAccessKey's secret in its job outcome (registry secretResultFields).
        { provide: JOB_SEALER, useValue: config.keyRing },
        AccessKeySecrets,
        AccessKeyCommands,
        AdminBootstrap,
        SessionSweeper,
        // The sweeper stops and the session bucket closes before the projections, the store and NATS.
        { provide: CLOSE_FIRST, inject: [SessionSweeper, SessionStore], useFactory: (sweeper: SessionSweeper, sessions: SessionStore): Closable[] => [sweeper, sessions] },
      ],
    };
  }
}
