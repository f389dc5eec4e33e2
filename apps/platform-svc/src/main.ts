import 'reflect-metadata';
import { runService } from '@cp/bus';
import { startupConfig } from '@cp/config';
import { loadPlatformConfig } from './config';
import { PlatformModule } from './platform.module';

/** platform-svc alone, against NATS_URL (see README, "Running one app"). */
if (require.main === module) {
  // A bad or missing setting (EVENT_STORE=bogus, no ENCRYPTION_KEY...): `platform-svc cannot start: <the variable and its rule>`, exit 1.
  const config = startupConfig('platform-svc', () => loadPlatformConfig());
  void runService({ context: 'platform', name: 'platform-svc', module: PlatformModule.forRoot(config) });
}
