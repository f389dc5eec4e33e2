import 'reflect-metadata';
import { runService } from '@cp/bus';
import { startupConfig } from '@cp/config';
import { loadIdentityConfig } from './config';
import { IdentityModule } from './identity.module';

/** identity-svc alone, against NATS_URL (see README, "Running one app"). */
if (require.main === module) {
  // A bad or missing setting (EVENT_STORE=bogus, no ENCRYPTION_KEY...): `identity-svc cannot start: <the variable and its rule>`, exit 1.
  const config = startupConfig('identity-svc', () => loadIdentityConfig());
  void runService({ context: 'identity', name: 'identity-svc', module: IdentityModule.forRoot(config) });
}
