import { defineConfig } from 'drizzle-kit';

// generate only: migrations are applied by `npm run db:migrate` (drizzle-orm's migrator, see
// subgraphs/operations/store/migrate.ts), which takes the URL from lib/config.ts
export default defineConfig({
  dialect: 'postgresql',
  // the operations subgraph's tables and those of the move off the legacy store
  schema: ['./subgraphs/operations/store/schema/index.ts', './migration/store/schema.ts'],
  out: './drizzle',
  strict: true,
  verbose: true,
});
