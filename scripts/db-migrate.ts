import { loadConfig } from '../lib/config.js';
import { migrateDatabase } from '../subgraphs/operations/store/migrate.js';

await migrateDatabase(loadConfig());
console.log('operations: migrations applied');
