import neo4j, { type Driver, type Record as Neo4jRecord } from 'neo4j-driver';
import type { PreciseDate } from '../../lib/precise-time.js';
import { compareInstants } from '../../lib/precise-time.js';
import { sessionStatuses, type SessionRow, type SessionStatus } from '../../subgraphs/operations/store/index.js';
import { readLegacy } from './driver.js';
import { fieldReader, oneOf, optionalNumber, optionalText, optionalTimestamp, requiredText, type Problem, type TimestampReader } from './values.js';

/**
 * ConversationSession nodes as the operations subgraph's SessionRow. Legacy sessions have no
 * last activity or message count: both come from their messages, as the legacy application
 * computed them. Older sessions may lack `patient_id` (then the patient is the one linked by
 * HAS_SESSION) and `status` (meaning `active`).
 */

/** A legacy session read as a row, or the problems that keep it from being one. */
export type LegacySession = { id: string; row: SessionRow; problems: [] } | { id: string; row: undefined; problems: Problem[] };

/** Columns of one session `s`: its properties, the patient linked to it, its messages' count and latest time. */
export const sessionColumns = `s {.*} AS props,
  COLLECT { MATCH (p:Patient)-[:HAS_SESSION]->(s) RETURN p.id ORDER BY p.id } AS linkedPatients,
  COUNT { (s)-[:HAS_MESSAGE]->(:Message) } AS messageCount,
  COLLECT { MATCH (s)-[r:HAS_MESSAGE]->(m:Message) WITH coalesce(m.timestamp, r.timestamp) AS t WHERE t IS :: STRING RETURN max(t) } AS lastText,
  COLLECT { MATCH (s)-[r:HAS_MESSAGE]->(m:Message) WITH coalesce(m.timestamp, r.timestamp) AS t WHERE t IS :: ZONED DATETIME OR t IS :: LOCAL DATETIME RETURN max(t) } AS lastTemporal`;

export function sessionFromRecord(record: Neo4jRecord, readTime: TimestampReader): LegacySession {
  const props = record.get('props') as Record<string, unknown>;
  const id = typeof props.id === 'string' ? props.id : String(props.id);
  const fields = fieldReader();
  const linked = record.get('linkedPatients') as string[];
  const patientId = props.patient_id === undefined || props.patient_id === null ? linked[0] : fields.take(requiredText('patient_id', props.patient_id));
  if (patientId === undefined && fields.problems.length === 0) fields.problems.push({ field: 'patient_id', reason: 'is missing and no patient is linked by HAS_SESSION' });
  const title = fields.take(optionalText('title', props.title));
  const status = fields.take(oneOf('status', optionalText('status', props.status), sessionStatuses)) ?? 'active';
  const device = fields.take(optionalText('device_type', props.device_type));
  const createdAt = fields.take(optionalTimestamp(readTime, 'started_at', props.started_at));
  if (createdAt === null) fields.problems.push({ field: 'started_at', reason: 'is missing' });
  const endedAt = fields.take(optionalTimestamp(readTime, 'ended_at', props.ended_at));
  const messageCount = fields.take(optionalNumber('messageCount', record.get('messageCount'))) ?? 0;
  const lastMessage = latest([...(record.get('lastText') as unknown[]), ...(record.get('lastTemporal') as unknown[])], readTime);
  if (fields.problems.length > 0 || !patientId || !createdAt || endedAt === undefined || title === undefined || device === undefined) {
    return { id, row: undefined, problems: fields.problems };
  }
  const lastActivity = lastMessage && compareInstants(lastMessage, createdAt) > 0 ? lastMessage : createdAt;
  return { id, row: { id, patientId, title, status, device, createdAt, lastActivity, endedAt, messageCount }, problems: [] };
}

/** The latest readable message time; a message whose time cannot be read is that message's problem, not its session's. */
function latest(values: unknown[], readTime: TimestampReader): PreciseDate | undefined {
  let best: PreciseDate | undefined;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    const read = readTime('messages.timestamp', value);
    if (read.ok && (!best || compareInstants(read.value, best) > 0)) best = read.value;
  }
  return best;
}

/** Sessions by id, in no particular order; ids without a session are absent. */
export async function readSessionsByIds(driver: Driver, ids: readonly string[], readTime: TimestampReader): Promise<LegacySession[]> {
  if (ids.length === 0) return [];
  const records = await readLegacy(driver, `MATCH (s:ConversationSession) WHERE s.id IN $ids RETURN ${sessionColumns}`, { ids: [...new Set(ids)] });
  return records.map((record) => sessionFromRecord(record, readTime));
}

/**
 * Every session of a patient: those naming it in `patient_id`, and those without `patient_id`
 * linked to it by HAS_SESSION.
 */
export async function readPatientSessions(driver: Driver, patientId: string, readTime: TimestampReader): Promise<LegacySession[]> {
  const records = await readLegacy(
    driver,
    `CALL () {
       MATCH (s:ConversationSession {patient_id: $patientId}) RETURN s
       UNION
       MATCH (:Patient {id: $patientId})-[:HAS_SESSION]->(s:ConversationSession) WHERE s.patient_id IS NULL RETURN s
     }
     RETURN ${sessionColumns}`,
    { patientId },
  );
  return records.map((record) => sessionFromRecord(record, readTime));
}

/** The legacy session a status filter keeps (missing status is `active`). */
export function hasStatus(row: SessionRow, status: SessionStatus | null | undefined): boolean {
  return !status || row.status === status;
}

/** The next `limit` sessions by id after `after` (null: from the first), and the last id read. */
export async function readSessionPage(driver: Driver, after: string | null, limit: number, readTime: TimestampReader): Promise<{ sessions: LegacySession[]; lastKey: string } | undefined> {
  const records = await readLegacy(driver, `MATCH (s:ConversationSession) WHERE s.id > $after RETURN ${sessionColumns}, s.id AS key ORDER BY s.id LIMIT $limit`, { after: after ?? '', limit: neo4j.int(limit) });
  const last = records.at(-1);
  if (!last) return undefined;
  return { sessions: records.map((record) => sessionFromRecord(record, readTime)), lastKey: last.get('key') as string };
}

/** Which of these ids name a legacy session. */
export async function existingSessionIds(driver: Driver, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const records = await readLegacy(driver, 'MATCH (s:ConversationSession) WHERE s.id IN $ids RETURN s.id AS id', { ids: [...new Set(ids)] });
  return new Set(records.map((record) => record.get('id') as string));
}
