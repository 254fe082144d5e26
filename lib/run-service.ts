import { ConfigError, loadConfig, type Config } from './config.js';
import type { ServiceHandle } from './http-server.js';
import { createLogger } from './logger.js';
import { stopDeadlineMs, stopOnSignals } from './shutdown.js';

/**
 * The entry point of one service process: configuration (a bad value stops it with the
 * variable's name, exit 2), start (a refused start says why in one line, exit 1), then on SIGINT
 * or SIGTERM a bounded drain and exit 0.
 */
export async function runService(name: string, start: (config: Config) => Promise<ServiceHandle>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${name}: ${error.message}`);
    process.exit(2);
  }
  const logger = createLogger(config, name);
  const service = await start(config).catch((error: unknown) => {
    console.error(`${name}: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  logger.info({ url: service.url }, `${name} ready`);
  stopOnSignals(() => service.stop(), { log: (message) => logger.info(message), deadlineMs: stopDeadlineMs(config.shutdown.graceMs) });
}
