import { loadConfig } from '../../lib/config.js';
import { startSearch } from './server.js';

const config = loadConfig();
const service = await startSearch(config).catch((error: unknown) => {
  // A refused start (wrong embedding dimension, bad configuration) must say why, not dump a stack.
  console.error(`search: cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`search: ${signal} received, draining`);
  await service.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
