import 'reflect-metadata';
import { runService } from '@cp/bus';
import { loadIdentityConfig } from './config';
import { IdentityModule } from './identity.module';

/** identity-svc alone, against NATS_URL (see README, "Running one app"). */
if (require.main === module) {
  const config = loadIdentityConfig();
  void runService({ context: 'identity', name: 'identity-svc', natsUrl: config.natsUrl, jobTtlMs: config.jobTtlMs, module: IdentityModule.forRoot(config) });
}
