import type { Driver } from 'neo4j-driver';
import type { MigrationDomain } from '../stages/stage-rules.js';
import { readLegacy } from './driver.js';

/**
 * Legacy records that no page of the backfill reaches: messages no session links (orphans) and
 * nodes without a usable id. Each is named with the reason, so none disappears unnoticed.
 */
export interface UnplacedRecord {
  recordKind: 'session' | 'message' | 'feedback' | 'document' | 'chunk';
  recordId: string;
  fields: string[];
  reason: string;
}

const queries: Record<MigrationDomain, { kind: UnplacedRecord['recordKind']; field: string; reason: string; cypher: string }[]> = {
  sessions: [
    { kind: 'message', field: 'HAS_MESSAGE', reason: 'orphan: no session has this message', cypher: 'MATCH (n:Message) WHERE NOT ()-[:HAS_MESSAGE]->(n) RETURN coalesce(toString(n.id), "node:" + elementId(n)) AS id' },
    { kind: 'session', field: 'id', reason: 'has no text id', cypher: 'MATCH (n:ConversationSession) WHERE NOT n.id IS :: STRING RETURN coalesce(toString(n.id), "node:" + elementId(n)) AS id' },
  ],
  feedback: [{ kind: 'feedback', field: 'feedback_id', reason: 'has no text feedback_id', cypher: 'MATCH (n:UserFeedback) WHERE NOT n.feedback_id IS :: STRING RETURN coalesce(toString(n.feedback_id), "node:" + elementId(n)) AS id' }],
  documents: [
    { kind: 'chunk', field: 'HAS_CHUNK', reason: 'orphan: no document has this chunk', cypher: 'MATCH (n:Chunk) WHERE NOT (:Document)-[:HAS_CHUNK]->(n) RETURN coalesce(toString(n.id), "node:" + elementId(n)) AS id' },
    { kind: 'document', field: 'id', reason: 'has no text id', cypher: 'MATCH (n:Document) WHERE NOT n.id IS :: STRING RETURN coalesce(toString(n.id), "node:" + elementId(n)) AS id' },
  ],
};

export async function unplacedRecords(driver: Driver, domain: MigrationDomain): Promise<UnplacedRecord[]> {
  const found: UnplacedRecord[] = [];
  for (const query of queries[domain]) {
    const records = await readLegacy(driver, query.cypher);
    for (const record of records) found.push({ recordKind: query.kind, recordId: record.get('id') as string, fields: [query.field], reason: query.reason });
  }
  return found;
}
