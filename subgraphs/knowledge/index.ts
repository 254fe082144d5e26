import { loadConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { stopOnSignals } from '../../lib/shutdown.js';
import { startKnowledge } from './server.js';

const config = loadConfig();
const logger = createLogger(config, 'knowledge');
const service = await startKnowledge(config);
logger.info({ url: service.url }, 'knowledge subgraph listening');

// Drains requests, stops the feedback consumer, closes Neo4j and Redis.
stopOnSignals(() => service.stop(), (message) => logger.info(message));
