import 'reflect-metadata';
import { runService } from '@cp/bus';
import { loadBaremetalConfig, type BaremetalConfig } from './config';
import { BaremetalModule } from './baremetal.module';

/** baremetal-svc alone, against NATS_URL (see README, "Running one app"). */
if (require.main === module) {
  let config: BaremetalConfig;
  try {
    config = loadBaremetalConfig();
  } catch (error) {
    process.stderr.write(`baremetal-svc cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  void runService({ context: 'baremetal', name: 'baremetal-svc', module: BaremetalModule.forRoot(config) });
}
