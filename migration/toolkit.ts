import type { Driver } from 'neo4j-driver';
import type pg from 'pg';
import type { Config } from '../lib/config.js';
import { createRedis } from '../lib/redis.js';
import { createDatabase, createPool, type Database } from '../subgraphs/operations/store/index.js';
import { createEmbedder } from '../subgraphs/search/embedder/create-embedder.js';
import type { Embedder } from '../subgraphs/search/embedder/embedder.js';
import { createChunkStore, type ChunkStore } from '../subgraphs/search/store/chunk-store.js';
import { ensureCollections } from '../subgraphs/search/store/collections.js';
import { createEntityStore, type EntityStore } from '../subgraphs/search/store/entity-store.js';
import { markChunksChanged } from '../subgraphs/search/store/passage-memo.js';
import { createCollectionNames, createQdrantClient } from '../subgraphs/search/store/qdrant.js';
import { knowledgeConceptResolver } from './knowledge-concepts.js';
import { createLegacyDriver } from './legacy/driver.js';
import { ensureLegacyIndexes } from './legacy/indexes.js';
import { legacyFormat, type LegacyFormat } from './legacy/legacy-format.js';
import type { ConceptResolver } from './legacy/message-reads.js';

/** Where documents go: chunks (re-embedded) to Qdrant; the embedder loads its model on first use. */
export interface DocumentTargets {
  chunks: ChunkStore;
  entities: EntityStore;
  embedder: Embedder;
  ensureCollections(): Promise<void>;
}

/** What the batch commands work with: PostgreSQL, the legacy store, how legacy values read, the knowledge graph, Qdrant. */
export interface MigrationToolkit {
  config: Config;
  pool: pg.Pool;
  db: Database;
  legacy: Driver;
  format: LegacyFormat;
  resolveConcepts: ConceptResolver;
  /** The knowledge graph (documents' mentions are linked there). */
  knowledge: Driver;
  search: DocumentTargets;
  close(): Promise<void>;
}

export async function openMigrationToolkit(config: Config): Promise<MigrationToolkit> {
  // attended operator work with long verification statements: no statement timeout, only the idle-transaction one
  const pool = createPool(config.postgres.url, { max: 4, idleTransactionTimeoutMs: config.postgres.idleTransactionTimeoutMs });
  const legacy = createLegacyDriver(config.migration.legacy);
  const concepts = knowledgeConceptResolver(config.neo4j);
  await ensureLegacyIndexes(legacy);
  const qdrant = createQdrantClient(config.qdrant, 60_000);
  const names = createCollectionNames(config.qdrant.collectionPrefix);
  const embedder = createEmbedder(config.embeddings);
  const redis = createRedis(config.redis.url, 'migration');
  return {
    config,
    pool,
    db: createDatabase(pool),
    legacy,
    format: legacyFormat(config.migration.legacy.timeZone),
    resolveConcepts: concepts.resolve,
    knowledge: concepts.driver,
    search: {
      chunks: createChunkStore(qdrant, names.chunks, () => markChunksChanged(redis, names.chunks)),
      entities: createEntityStore(qdrant, names.entities),
      embedder,
      ensureCollections: async () => {
        if (await ensureCollections(qdrant, names, embedder.dimension, embedder.model)) await markChunksChanged(redis, names.chunks);
      },
    },
    close: async () => {
      await Promise.all([pool.end(), legacy.close(), concepts.close(), redis.quit()]);
    },
  };
}
