import { loadConfig } from '../../lib/config.js';
import { stopOnSignals } from '../../lib/shutdown.js';
import { startSearch } from './server.js';

const config = loadConfig();
const service = await startSearch(config).catch((error: unknown) => {
  // A refused start (wrong embedding dimension, bad configuration) must say why, not dump a stack.
  console.error(`search: cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

stopOnSignals(() => service.stop(), (message) => console.log(`search: ${message}`));
