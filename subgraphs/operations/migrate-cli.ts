import { loadConfig } from '../../lib/config.js';
import { migrateDatabase } from './store/migrate.js';

await migrateDatabase(loadConfig());
console.log('operations: migrations applied');
