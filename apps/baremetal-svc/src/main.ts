import 'reflect-metadata';
import { runService } from '@cp/bus';
import { startupConfig } from '@cp/config';
import { loadBaremetalConfig } from './config';
import { BaremetalModule } from './baremetal.module';

/** baremetal-svc alone, against NATS_URL (see README, "Running one app"). */
if (require.main === module) {
  // A bad or missing setting (EVENT_STORE=bogus...): `baremetal-svc cannot start: <the variable and its rule>`, exit 1.
  const config = startupConfig('baremetal-svc', () => loadBaremetalConfig());
  void runService({ context: 'baremetal', name: 'baremetal-svc', module: BaremetalModule.forRoot(config) });
}
