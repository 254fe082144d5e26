import { loadConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { startKnowledge } from './server.js';

const config = loadConfig();
const logger = createLogger(config, 'knowledge');
const service = await startKnowledge(config);
logger.info({ url: service.url }, 'knowledge subgraph listening');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'draining requests, stopping the feedback consumer, closing Neo4j and Redis');
  await service.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
