import { runService } from '../../lib/run-service.js';
import { startKnowledge } from './server.js';

await runService('knowledge', (config) => startKnowledge(config));
