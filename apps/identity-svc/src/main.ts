import 'reflect-metadata';
import { runService } from '@cp/bus';
import { loadIdentityConfig, type IdentityConfig } from './config';
import { IdentityModule } from './identity.module';

/** identity-svc alone, against NATS_URL (see README, "Running one app"). */
if (require.main === module) {
  let config: IdentityConfig;
  try {
    config = loadIdentityConfig();
  } catch (error) {
    // A bad or missing setting (e.g. no ENCRYPTION_KEY): one line saying which, no stack trace.
    process.stderr.write(`identity-svc cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  void runService({ context: 'identity', name: 'identity-svc', module: IdentityModule.forRoot(config) });
}
