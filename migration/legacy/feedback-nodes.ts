import neo4j, { type Driver, type ManagedTransaction, type Record as Neo4jRecord } from 'neo4j-driver';
import { exactIso } from '../../lib/precise-time.js';
import { feedbackTypes, severities, type FeedbackRow } from '../../subgraphs/operations/store/index.js';
import type { RecentFeedback } from '../../subgraphs/operations/rules/feedback-limits.js';
import { readLegacy } from './driver.js';
import type { LegacyFormat } from './legacy-format.js';
import { fieldReader, oneOf, optionalNumber, optionalText, requiredText, stringList, type Problem } from './values.js';

/**
 * UserFeedback nodes: created with plain CREATE (no `:Entity`), `created_at` a DateTime,
 * ABOUT_ENTITY edges to the entities involved. `session_id` may name a session that no longer
 * exists. We add `actor` (who rated, for the one-rating-per-answer limit); older nodes lack it.
 */

export type LegacyFeedback = { id: string; row: FeedbackRow; problems: [] } | { id: string; row: undefined; problems: Problem[] };

export const feedbackColumns = 'f {.*} AS props';

export function feedbackFromRecord(record: Neo4jRecord, format: LegacyFormat): LegacyFeedback {
  const props = record.get('props') as Record<string, unknown>;
  const fields = fieldReader();
  const id = fields.take(requiredText('feedback_id', props.feedback_id)) ?? `<node without feedback_id>`;
  const row = {
    id,
    responseId: fields.take(requiredText('response_id', props.response_id)),
    sessionId: fields.take(optionalText('session_id', props.session_id)),
    patientId: fields.take(optionalText('patient_id', props.patient_id)),
    actor: fields.take(optionalText('actor', props.actor)),
    queryText: fields.take(optionalText('query_text', props.query_text)),
    responseText: fields.take(optionalText('response_text', props.response_text)),
    rating: fields.take(optionalNumber('rating', props.rating)),
    feedbackType: fields.take(oneOf('feedback_type', requiredText('feedback_type', props.feedback_type), feedbackTypes)),
    severity: fields.take(oneOf('severity', optionalText('severity', props.severity), severities)),
    correction: fields.take(optionalText('correction_text', props.correction_text)),
    entityIds: fields.take(stringList('entities_involved', props.entities_involved)),
    layersTraversed: fields.take(stringList('layers_traversed', props.layers_traversed)),
    createdAt: props.created_at === undefined || props.created_at === null ? undefined : fields.take(format.readTime('created_at', props.created_at)),
  };
  if (row.rating === null) fields.problems.push({ field: 'rating', reason: 'is missing' });
  if (row.createdAt === undefined && fields.problems.every((problem) => problem.field !== 'created_at')) fields.problems.push({ field: 'created_at', reason: 'is missing' });
  const { responseId, sessionId, patientId, actor, queryText, responseText, rating, feedbackType, severity, correction, entityIds, layersTraversed, createdAt } = row;
  if (fields.problems.length > 0 || responseId === undefined || sessionId === undefined || patientId === undefined || actor === undefined || queryText === undefined || responseText === undefined) {
    return { id, row: undefined, problems: fields.problems };
  }
  if (rating === undefined || rating === null || feedbackType === undefined || feedbackType === null || severity === undefined || correction === undefined || !entityIds || !layersTraversed || !createdAt) {
    return { id, row: undefined, problems: fields.problems };
  }
  // value sets (rating 1..5, types, severities, layers) are PostgreSQL's to check
  const feedback: FeedbackRow = {
    id, responseId, sessionId, patientId, actor, queryText, responseText, rating,
    feedbackType, severity, correction, entityIds, layersTraversed, queryHash: null, createdAt,
  };
  return { id, row: feedback, problems: [] };
}

/** Feedback about these sessions, oldest first. */
export async function readSessionFeedback(driver: Driver, sessionIds: readonly string[], format: LegacyFormat): Promise<LegacyFeedback[]> {
  if (sessionIds.length === 0) return [];
  const records = await readLegacy(driver, `MATCH (f:UserFeedback) WHERE f.session_id IN $sessionIds RETURN ${feedbackColumns}`, { sessionIds: [...new Set(sessionIds)] });
  return records.map((record) => feedbackFromRecord(record, format));
}

/**
 * Serialises feedback about one patient (or by one caller, without a patient) until the
 * transaction ends: a lock node of the migration's own, never a knowledge-graph node.
 */
export async function lockFeedbackOf(tx: ManagedTransaction, key: string): Promise<void> {
  await tx.run('MERGE (l:MigrationLock {key: $key}) SET l.locked_at = datetime.realtime()', { key: `feedback:${key}` });
}

/** The counts the feedback limits look at (subgraphs/operations/rules/feedback-limits.ts). */
export async function countRecentLegacyFeedback(tx: ManagedTransaction, actor: string, row: Pick<FeedbackRow, 'responseId' | 'patientId' | 'entityIds'>): Promise<RecentFeedback> {
  const result = await tx.run(
    `OPTIONAL MATCH (again:UserFeedback {response_id: $responseId, actor: $actor})
     WITH count(again) > 0 AS alreadyRated
     OPTIONAL MATCH (f:UserFeedback {patient_id: $patientId}) WHERE f.created_at IS :: ZONED DATETIME AND f.created_at > datetime.realtime() - duration('PT24H')
     WITH alreadyRated, collect(f) AS today
     RETURN alreadyRated, size(today) AS patientToday,
       [entity IN $entityIds | {id: entity, count: size([f IN today WHERE entity IN coalesce(f.entities_involved, [])])}] AS entities`,
    { responseId: row.responseId, actor, patientId: row.patientId, entityIds: row.entityIds },
  );
  const record = result.records[0];
  const entities = ((record?.get('entities') ?? []) as { id: string; count: unknown }[]).map((entity) => ({ id: entity.id, count: neo4j.integer.toNumber(entity.count as number) }));
  const busiest = entities.sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))[0] ?? null;
  return { alreadyRated: record?.get('alreadyRated') === true, patientToday: neo4j.integer.toNumber((record?.get('patientToday') as number) ?? 0), busiestEntity: busiest };
}

/** Writes one feedback as the legacy application did (MERGE by feedback_id, so writing it again changes nothing). */
export async function writeFeedbackNode(tx: ManagedTransaction, row: FeedbackRow): Promise<void> {
  await tx.run(
    `MERGE (f:UserFeedback {feedback_id: $id})
     ON CREATE SET f += $properties, f.created_at = datetime($createdAt), f.rating = $rating
     WITH f
     UNWIND $entityIds AS entityId
     MATCH (e:MedicalEntity {id: entityId})
     MERGE (f)-[:ABOUT_ENTITY]->(e)`,
    {
      id: row.id,
      createdAt: exactIso(row.createdAt),
      rating: neo4j.int(row.rating),
      entityIds: row.entityIds,
      properties: {
        response_id: row.responseId,
        patient_id: row.patientId,
        session_id: row.sessionId,
        actor: row.actor,
        query_text: row.queryText,
        response_text: row.responseText,
        feedback_type: row.feedbackType,
        severity: row.severity,
        correction_text: row.correction,
        entities_involved: row.entityIds,
        layers_traversed: row.layersTraversed,
        layer: 'APPLICATION',
      },
    },
  );
}

/** The next `limit` feedback nodes by feedback_id after `after` (null: from the first), and the last id read. */
export async function readFeedbackPage(driver: Driver, after: string | null, limit: number, format: LegacyFormat): Promise<{ feedback: LegacyFeedback[]; lastKey: string } | undefined> {
  const records = await readLegacy(driver, `MATCH (f:UserFeedback) WHERE f.feedback_id > $after RETURN ${feedbackColumns}, f.feedback_id AS key ORDER BY f.feedback_id LIMIT $limit`, { after: after ?? '', limit: neo4j.int(limit) });
  const last = records.at(-1);
  if (!last) return undefined;
  return { feedback: records.map((record) => feedbackFromRecord(record, format)), lastKey: last.get('key') as string };
}

export async function readFeedbackByIds(driver: Driver, ids: readonly string[], format: LegacyFormat): Promise<LegacyFeedback[]> {
  if (ids.length === 0) return [];
  const records = await readLegacy(driver, `MATCH (f:UserFeedback) WHERE f.feedback_id IN $ids RETURN ${feedbackColumns}`, { ids: [...new Set(ids)] });
  return records.map((record) => feedbackFromRecord(record, format));
}
