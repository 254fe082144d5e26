import type { Logger } from '../../lib/logger.js';
import type { QueryEmbedder } from './embedder/query-embedder.js';
import type { QueryLog } from './embedder/query-log.js';
import type { ChunkStore } from './store/chunk-store.js';
import type { EntityStore } from './store/entity-store.js';
import type { PassageMemo } from './store/passage-memo.js';
import type { QueryEntityLinker } from './query-entities.js';

/** What lives for the whole process and every request shares. */
export interface SearchServices {
  chunks: ChunkStore;
  /** Passage search results remembered across requests, stale once the chunks change. */
  passageMemo: PassageMemo;
  entities: EntityStore;
  /** The knowledge entities a search text names (names, synonyms, abbreviations). */
  queryEntities: QueryEntityLinker;
  queryEmbedder: QueryEmbedder;
  /** Searched texts kept within their retention (never message contents). */
  queryLog: QueryLog;
  /** Resolves once the collections exist with the embedder's dimension; throws while they don't. */
  ensureCollections: () => Promise<void>;
  logger: Logger;
}
