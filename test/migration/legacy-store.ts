import type { Driver } from 'neo4j-driver';

/** Labels of the legacy domains and of the migration's own nodes in Neo4j (never the knowledge graph's). */
export const legacyLabels = ['ConversationSession', 'Message', 'UserFeedback', 'Document', 'Chunk', 'DocumentQuality', 'ExtractedEntity', 'MigrationChange', 'MigrationLock'];

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
