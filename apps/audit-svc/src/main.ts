import 'reflect-metadata';
import { runService } from '@cp/bus';
import { startupConfig } from '@cp/config';
import { loadAuditConfig } from './config';
import { AuditModule } from './audit.module';

/** audit-svc alone, against NATS_URL (see README, "Running one app"). */
if (require.main === module) {
  // A bad or missing setting (EVENT_STORE=bogus...): `audit-svc cannot start: <the variable and its rule>`, exit 1.
  const config = startupConfig('audit-svc', () => loadAuditConfig());
  void runService({ context: 'audit', name: 'audit-svc', module: AuditModule.forRoot(config) });
}
