import type { Driver } from 'neo4j-driver';
import type pg from 'pg';
import type { Config } from '../../lib/config.js';
import { createNeo4jDriver } from '../../subgraphs/knowledge/store/driver.js';
import { unlinkDocumentMentions } from '../../subgraphs/knowledge/store/document-mentions.js';
import { createQdrantClient } from '../../subgraphs/search/store/qdrant.js';

/** Labels of the legacy domains and of the migration's own nodes in Neo4j (never the knowledge graph's). */
export const legacyLabels = ['ConversationSession', 'Message', 'UserFeedback', 'Document', 'Chunk', 'DocumentQuality', 'ExtractedEntity', 'MigrationChange', 'MigrationLock', 'MigrationAppliedEvent'];

/**
 * Removes every legacy record and generated patient: the migration tests own these labels
 * (they run alone, in the `isolated` project), the knowledge graph's nodes stay.
 */
export async function wipeLegacy(driver: Driver): Promise<void> {
  const session = driver.session();
  try {
    await session.run(`MATCH (n) WHERE any(label IN labels(n) WHERE label IN $labels) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`, { labels: legacyLabels });
    // the patients generated legacy datasets brought (the knowledge graph's patients have no generated_by)
    await session.run(`MATCH (p:Patient) WHERE p.generated_by IS NOT NULL CALL (p) { DETACH DELETE p } IN TRANSACTIONS OF 5000 ROWS`);
  } finally {
    await session.close();
  }
}

/** What moving documents left outside the world's database: its Qdrant collections, and the knowledge graph's links to its documents. */
export async function forgetMovedDocuments(config: Config, sql: pg.Pool): Promise<void> {
  const documentIds = (await sql.query<{ id: string }>('SELECT id FROM documents')).rows.map((row) => row.id);
  const knowledge = createNeo4jDriver(config.neo4j);
  try {
    await unlinkDocumentMentions(knowledge, documentIds);
  } finally {
    await knowledge.close();
  }
  if (!config.qdrant.collectionPrefix) throw new Error('the world has no Qdrant collection prefix of its own: its collections cannot be told from others');
  const qdrant = createQdrantClient(config.qdrant);
  for (const { name } of (await qdrant.getCollections()).collections) if (name.startsWith(config.qdrant.collectionPrefix)) await qdrant.deleteCollection(name);
}
