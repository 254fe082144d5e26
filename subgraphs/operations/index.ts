import { loadConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { startOperations } from './server.js';
import { migrateDatabase } from './store/index.js';

const config = loadConfig();
const logger = createLogger(config, 'operations');
await migrateDatabase(config);
const service = await startOperations(config, config.ports.operations, { logger });
logger.info({ url: service.url }, 'operations subgraph listening');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'draining and stopping');
  await service.stop();
  process.exit(0);
}
process.on('SIGINT', (signal) => void shutdown(signal));
process.on('SIGTERM', (signal) => void shutdown(signal));
