import { ConsoleLogger } from '@nestjs/common';
import { logConfig } from '@cp/config';

/** The one logger setup of our apps: JSON lines in production, coloured text on a terminal. */
export function createAppLogger(env: NodeJS.ProcessEnv = process.env): ConsoleLogger {
  const { json, levels } = logConfig(env);
  return new ConsoleLogger({ json, colors: !json, logLevels: levels });
}
