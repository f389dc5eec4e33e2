import 'reflect-metadata';
import { runService } from '@cp/bus';
import { loadAuditConfig } from './config';
import { AuditModule } from './audit.module';

/** audit-svc alone, against NATS_URL (see README, "Running one app"). */
if (require.main === module) {
  const config = loadAuditConfig();
  void runService({ context: 'audit', name: 'audit-svc', module: AuditModule.forRoot(config) });
}
