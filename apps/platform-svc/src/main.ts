import 'reflect-metadata';
import { runService } from '@cp/bus';
import { loadPlatformConfig, type PlatformConfig } from './config';
import { PlatformModule } from './platform.module';

/** platform-svc alone, against NATS_URL (see README, "Running one app"). */
if (require.main === module) {
  let config: PlatformConfig;
  try {
    config = loadPlatformConfig();
  } catch (error) {
    // A bad or missing setting (e.g. no ENCRYPTION_KEY): one line saying which, no stack trace.
    process.stderr.write(`platform-svc cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  void runService({ context: 'platform', name: 'platform-svc', module: PlatformModule.forRoot(config) });
}
