import neo4j, { type Driver, type Record as Neo4jRecord } from 'neo4j-driver';
import { toLuceneQuery } from '../../lib/lucene-query.js';
import { messageRoles, type MessageRow } from '../../subgraphs/operations/store/index.js';
import { readLegacy } from './driver.js';
import type { LegacyFormat } from './legacy-format.js';
import { fieldReader, jsonList, oneOf, optionalNumber, optionalText, requiredText, stringList, type Problem } from './values.js';

/**
 * Message nodes as the operations subgraph's MessageRow. A message belongs to the session with
 * a HAS_MESSAGE edge to it; its time is its `timestamp` (else the edge's); a missing
 * `patient_id` is the session's patient. `related_concepts` name entities by id or by name:
 * `resolveConcepts` maps them to entity ids where the knowledge graph has them (others stay).
 */

export type LegacyMessage = { id: string; row: MessageRow; problems: [] } | { id: string; row: undefined; problems: Problem[] };

/** Maps entity references (ids or names) to entity ids; references it does not know are left out. */
export type ConceptResolver = (references: readonly string[]) => Promise<Map<string, string>>;

/** Columns of one message `m`: its properties, its sessions, their patients, the edges' times. */
export const messageColumns = `m {.*} AS props,
  COLLECT { MATCH (s:ConversationSession)-[:HAS_MESSAGE]->(m) RETURN s.id ORDER BY s.id } AS sessionIds,
  COLLECT { MATCH (s:ConversationSession)-[:HAS_MESSAGE]->(m) RETURN coalesce(s.patient_id, COLLECT { MATCH (p:Patient)-[:HAS_SESSION]->(s) RETURN p.id ORDER BY p.id }[0]) } AS sessionPatients,
  COLLECT { MATCH (:ConversationSession)-[r:HAS_MESSAGE]->(m) RETURN r.timestamp } AS edgeTimes`;

interface MessageParts {
  id: string;
  row?: Omit<MessageRow, 'relatedConcepts'>;
  concepts: string[];
  problems: Problem[];
}

function messageParts(record: Neo4jRecord, format: LegacyFormat): MessageParts {
  const props = record.get('props') as Record<string, unknown>;
  const id = typeof props.id === 'string' ? props.id : String(props.id);
  const sessionIds = record.get('sessionIds') as string[];
  const fields = fieldReader();
  if (sessionIds.length === 0) return { id, concepts: [], problems: [{ field: 'HAS_MESSAGE', reason: 'orphan: no session has this message' }] };
  if (sessionIds.length > 1) fields.problems.push({ field: 'HAS_MESSAGE', reason: `belongs to ${sessionIds.length} sessions` });
  const sessionPatient = (record.get('sessionPatients') as (string | null)[])[0] ?? undefined;
  const patientId = props.patient_id === undefined || props.patient_id === null ? sessionPatient : fields.take(requiredText('patient_id', props.patient_id));
  if (!patientId && fields.problems.length === 0) fields.problems.push({ field: 'patient_id', reason: 'is missing, and so is the patient of its session' });
  const role = fields.take(oneOf('role', requiredText('role', props.role), messageRoles));
  const content = fields.take(requiredText('content', props.content));
  const responseId = fields.take(optionalText('response_id', props.response_id));
  const confidence = fields.take(optionalNumber('confidence', props.confidence));
  const queryTimeSeconds = fields.take(optionalNumber('query_time', props.query_time));
  const sources = fields.take(jsonList('sources', props.sources));
  const reasoningTrail = fields.take(jsonList('reasoning_trail', props.reasoning_trail));
  const concepts = fields.take(stringList('related_concepts', props.related_concepts)) ?? [];
  const time = props.timestamp ?? (record.get('edgeTimes') as unknown[])[0];
  const createdAt = time === undefined || time === null ? undefined : fields.take(format.readTime('timestamp', time));
  if ((time === undefined || time === null) && fields.problems.length === 0) fields.problems.push({ field: 'timestamp', reason: 'is missing on the message and on its HAS_MESSAGE edge' });
  const sessionId = sessionIds[0] as string;
  if (fields.problems.length > 0 || !patientId || role === undefined || content === undefined || responseId === undefined || confidence === undefined || queryTimeSeconds === undefined || !sources || !reasoningTrail || !createdAt) {
    return { id, concepts, problems: fields.problems };
  }
  // the range of confidence is PostgreSQL's to check (the backfill reports what it refuses)
  if (role === null) return { id, concepts, problems: [{ field: 'role', reason: 'is missing' }] };
  return { id, concepts, problems: [], row: { id, sessionId, patientId, role, content, responseId, confidence, queryTimeSeconds, sources, reasoningTrail, createdAt } };
}

/** Reads message records, resolving every message's concept references in one call. */
export async function messagesFromRecords(records: readonly Neo4jRecord[], format: LegacyFormat, resolveConcepts: ConceptResolver): Promise<LegacyMessage[]> {
  const parts = records.map((record) => messageParts(record, format));
  const resolved = await resolveConcepts([...new Set(parts.flatMap((part) => part.concepts))]);
  return parts.map((part): LegacyMessage => {
    if (!part.row) return { id: part.id, row: undefined, problems: part.problems };
    return { id: part.id, row: { ...part.row, relatedConcepts: part.concepts.map((reference) => resolved.get(reference) ?? reference) }, problems: [] };
  });
}

export async function readMessagesByIds(driver: Driver, ids: readonly string[], format: LegacyFormat, resolveConcepts: ConceptResolver): Promise<LegacyMessage[]> {
  if (ids.length === 0) return [];
  const records = await readLegacy(driver, `MATCH (m:Message) WHERE m.id IN $ids RETURN ${messageColumns}`, { ids: [...new Set(ids)] });
  return messagesFromRecords(records, format, resolveConcepts);
}

/**
 * Every message of these sessions (the backfill and the verification read hundreds of
 * thousands): the session's patient is looked up once a session, not once a message. A
 * message of several sessions comes once per session; messageParts reports it.
 */
export async function readSessionMessages(driver: Driver, sessionIds: readonly string[], format: LegacyFormat, resolveConcepts: ConceptResolver): Promise<LegacyMessage[]> {
  if (sessionIds.length === 0) return [];
  const records = await readLegacy(
    driver,
    `MATCH (s:ConversationSession) WHERE s.id IN $sessionIds
     WITH s, coalesce(s.patient_id, COLLECT { MATCH (p:Patient)-[:HAS_SESSION]->(s) RETURN p.id ORDER BY p.id }[0]) AS sessionPatient
     MATCH (s)-[r:HAS_MESSAGE]->(m:Message)
     RETURN m {.*} AS props, [sessionPatient] AS sessionPatients, [r.timestamp] AS edgeTimes,
       CASE WHEN COUNT { (m)<-[:HAS_MESSAGE]-() } = 1 THEN [s.id] ELSE COLLECT { MATCH (x:ConversationSession)-[:HAS_MESSAGE]->(m) RETURN x.id ORDER BY x.id } END AS sessionIds`,
    { sessionIds: [...new Set(sessionIds)] },
  );
  return messagesFromRecords(records, format, resolveConcepts);
}

/** Messages whose response id is this one (a feedback's answer and its siblings). */
export async function readMessagesByResponseId(driver: Driver, responseId: string, format: LegacyFormat, resolveConcepts: ConceptResolver): Promise<LegacyMessage[]> {
  const records = await readLegacy(driver, `MATCH (m:Message {response_id: $responseId}) RETURN ${messageColumns}`, { responseId });
  return messagesFromRecords(records, format, resolveConcepts);
}

/** A patient's messages matching a full-text query, with the index's score; up to `limit`. */
export async function searchPatientMessages(driver: Driver, patientId: string, text: string, limit: number, format: LegacyFormat, resolveConcepts: ConceptResolver): Promise<{ message: LegacyMessage; score: number }[]> {
  const records = await readLegacy(
    driver,
    `CALL db.index.fulltext.queryNodes('legacy_message_content', $query) YIELD node AS m, score
     WITH m, score WHERE coalesce(m.patient_id, COLLECT { MATCH (s:ConversationSession)-[:HAS_MESSAGE]->(m) RETURN coalesce(s.patient_id, COLLECT { MATCH (p:Patient)-[:HAS_SESSION]->(s) RETURN p.id }[0]) }[0]) = $patientId
     RETURN ${messageColumns}, score ORDER BY score DESC, m.id LIMIT $limit`,
    { query: toLuceneQuery(text), patientId, limit: neo4j.int(limit) },
  );
  const messages = await messagesFromRecords(records, format, resolveConcepts);
  return messages.map((message, index) => ({ message, score: records[index]?.get('score') as number }));
}
