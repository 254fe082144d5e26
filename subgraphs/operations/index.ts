import { runService } from '../../lib/run-service.js';
import { startOperations } from './server.js';

await runService('operations', (config) => startOperations(config));
