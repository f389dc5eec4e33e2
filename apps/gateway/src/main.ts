import { Logger } from '@nestjs/common';
import { startupConfig } from '@cp/config';
import { nameLogs } from '@cp/observability';
import { startGateway } from './app';
import { loadGatewayConfig } from './config';

/** The gateway alone, against NATS_URL (see README, "Running one app"). */
if (require.main === module) {
  nameLogs('gateway');
  const log = new Logger('gateway');
  // A bad setting (PORT=abc...): `gateway cannot start: <the variable and its rule>`, exit 1, no stack trace.
  const config = startupConfig('gateway', () => loadGatewayConfig());
  startGateway(config)
    .then(() => log.log(`ZStack API on http://${config.host}:${config.port}/zstack/v1 (NATS ${config.natsUrl})`))
    .catch((error) => {
      log.error(`gateway could not start: ${(error as Error).message}`);
      process.exit(1);
    });
}
