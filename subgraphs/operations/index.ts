import { loadConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { stopOnSignals } from '../../lib/shutdown.js';
import { startOperations } from './server.js';
import { migrateDatabase } from './store/index.js';

const config = loadConfig();
const logger = createLogger(config, 'operations');
await migrateDatabase(config);
const service = await startOperations(config, config.ports.operations, { logger });
logger.info({ url: service.url }, 'operations subgraph listening');

stopOnSignals(() => service.stop(), (message) => logger.info(message));
