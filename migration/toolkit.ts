import type { Driver } from 'neo4j-driver';
import type pg from 'pg';
import type { Config } from '../lib/config.js';
import { createDatabase, createPool, type Database } from '../subgraphs/operations/store/index.js';
import { knowledgeConceptResolver } from './knowledge-concepts.js';
import { createLegacyDriver } from './legacy/driver.js';
import { ensureLegacyIndexes } from './legacy/indexes.js';
import { legacyFormat, type LegacyFormat } from './legacy/legacy-format.js';
import type { ConceptResolver } from './legacy/message-reads.js';

/** What the batch commands work with: PostgreSQL, the legacy store, how legacy values read, the knowledge graph's names. */
export interface MigrationToolkit {
  config: Config;
  pool: pg.Pool;
  db: Database;
  legacy: Driver;
  format: LegacyFormat;
  resolveConcepts: ConceptResolver;
  close(): Promise<void>;
}

export async function openMigrationToolkit(config: Config): Promise<MigrationToolkit> {
  const pool = createPool(config.postgres.url, { max: 4 });
  const legacy = createLegacyDriver(config.migration.legacy);
  const concepts = knowledgeConceptResolver(config.neo4j);
  await ensureLegacyIndexes(legacy);
  return {
    config,
    pool,
    db: createDatabase(pool),
    legacy,
    format: legacyFormat(config.migration.legacy.timeZone),
    resolveConcepts: concepts.resolve,
    close: async () => {
      await Promise.all([pool.end(), legacy.close(), concepts.close()]);
    },
  };
}
