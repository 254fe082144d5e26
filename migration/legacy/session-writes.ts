import type { ManagedTransaction } from 'neo4j-driver';
import type { MessageRow, SessionRow } from '../../subgraphs/operations/store/index.js';
import type { LegacyFormat } from './legacy-format.js';
import { sessionColumns, sessionFromRecord, type LegacySession } from './session-reads.js';

/**
 * Writes sessions and messages as the legacy application did: `MERGE (n:Entity:<Label> {id})
 * SET n += $properties`, zone-less ISO strings, assistant metadata flattened onto the message
 * with lists as JSON strings. A session is linked to its patient by HAS_SESSION when the
 * patient's node exists; patient nodes belong to the knowledge graph and are never created here.
 */

export async function writeSessionNode(tx: ManagedTransaction, row: SessionRow, format: LegacyFormat): Promise<void> {
  await tx.run(
    `MERGE (s:Entity:ConversationSession {id: $id})
     SET s += $properties
     WITH s
     OPTIONAL MATCH (p:Patient {id: $patientId})
     FOREACH (patient IN CASE WHEN p IS NULL THEN [] ELSE [p] END | MERGE (patient)-[:HAS_SESSION]->(s))`,
    {
      id: row.id,
      patientId: row.patientId,
      properties: {
        patient_id: row.patientId,
        title: row.title,
        started_at: format.writeTime(row.createdAt),
        ended_at: row.endedAt ? format.writeTime(row.endedAt) : null,
        status: row.status,
        device_type: row.device,
      },
    },
  );
}

/** The session, locked until the transaction ends (writes to one session happen one after another), or undefined. */
export async function lockSessionNode(tx: ManagedTransaction, id: string, format: LegacyFormat): Promise<LegacySession | undefined> {
  const result = await tx.run(`MATCH (s:ConversationSession {id: $id}) CALL apoc.lock.nodes([s]) RETURN ${sessionColumns}`, { id });
  const record = result.records[0];
  return record ? sessionFromRecord(record, format.readTime) : undefined;
}

export async function writeMessageNode(tx: ManagedTransaction, row: MessageRow, format: LegacyFormat): Promise<void> {
  const timestamp = format.writeTime(row.createdAt);
  const assistant = row.role === 'assistant';
  const list = (values: readonly unknown[]) => (assistant || values.length > 0 ? JSON.stringify(values) : null);
  await tx.run(
    `MATCH (s:ConversationSession {id: $sessionId})
     MERGE (m:Entity:Message {id: $id})
     SET m += $properties
     MERGE (s)-[r:HAS_MESSAGE]->(m)
     SET r.timestamp = $timestamp`,
    {
      id: row.id,
      sessionId: row.sessionId,
      timestamp,
      properties: {
        role: row.role,
        content: row.content,
        timestamp,
        patient_id: row.patientId,
        confidence: row.confidence,
        response_id: row.responseId,
        query_time: row.queryTimeSeconds,
        sources: list(row.sources),
        reasoning_trail: list(row.reasoningTrail),
        related_concepts: list(row.relatedConcepts),
      },
    },
  );
}
