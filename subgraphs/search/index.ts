import { runService } from '../../lib/run-service.js';
import { startSearch } from './server.js';

await runService('search', (config) => startSearch(config));
