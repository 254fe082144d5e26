import type { Driver } from 'neo4j-driver';
import { applyFeedbackRules, type FeedbackInput, type FeedbackState } from '../rules.js';
import { entityProjection, type EntityRecord } from './records.js';

export interface FeedbackApplication {
  /** False when the event id was already processed: nothing changed. */
  applied: boolean;
  /** Entities whose layer changed (demoted), for entity.upserted events. */
  demoted: EntityRecord[];
}

/**
 * Applies one feedback event to every entity involved, exactly once in effect: the event id
 * is recorded as (:ProcessedEvent) in the same transaction as the confidence, counter and
 * layer changes, so a replay (or a redelivery after a crash before acknowledge) is a no-op.
 */
export async function applyFeedbackEvent(driver: Driver, eventId: string, entityIds: readonly string[], feedback: FeedbackInput): Promise<FeedbackApplication> {
  const session = driver.session();
  try {
    return await session.executeWrite(async (tx) => {
      // MERGE takes the unique-constraint lock, so two consumers racing on one event serialise here.
      const marker = await tx.run(
        `MERGE (p:ProcessedEvent {id: $eventId})
         ON CREATE SET p.processed_at = datetime(), p.kind = 'feedback', p.fresh = true
         WITH p, coalesce(p.fresh, false) AS fresh REMOVE p.fresh RETURN fresh`,
        { eventId },
      );
      if (marker.records[0]?.get('fresh') !== true) return { applied: false, demoted: [] };

      const current = await tx.run(
        `UNWIND $ids AS id MATCH (e:MedicalEntity {id: id})
         RETURN e.id AS id, coalesce(e.confidence, 0.5) AS confidence, e.layer AS layer,
           coalesce(e.feedback_count, 0) AS feedbackCount, coalesce(e.positive_feedback_count, 0) AS positiveCount,
           coalesce(e.negative_feedback_count, 0) AS negativeCount, coalesce(e.demotion_mark_total, 0) AS demotionMarkTotal,
           coalesce(e.demotion_mark_negative, 0) AS demotionMarkNegative`,
        { ids: [...new Set(entityIds)] },
      );
      const updates = current.records.map((record) => {
        const state = record.toObject() as FeedbackState & { id: string };
        const next = applyFeedbackRules(state, feedback);
        return { id: state.id, ...next, demotedFrom: next.demotedFrom ?? null };
      });
      const written = await tx.run(
        `UNWIND $updates AS u MATCH (e:MedicalEntity {id: u.id})
         SET e.confidence = u.confidence, e.layer = u.layer, e.feedback_count = u.feedbackCount,
           e.positive_feedback_count = u.positiveCount, e.negative_feedback_count = u.negativeCount,
           e.demotion_mark_total = u.demotionMarkTotal, e.demotion_mark_negative = u.demotionMarkNegative
         FOREACH (_ IN CASE WHEN u.demotedFrom IS NULL THEN [] ELSE [1] END |
           CREATE (:LayerTransition {transition_id: randomUUID(), entity_id: e.id, from_layer: u.demotedFrom, to_layer: u.layer,
             status: 'completed', trigger_type: 'feedback', reason: $reason, actor: $eventId, created_at: datetime()}))
         WITH e, u WHERE u.demotedFrom IS NOT NULL
         RETURN ${entityProjection} AS entity`,
        { updates, eventId, reason: '>= 5 feedbacks of which >= 3 negative (rating <= 2)' },
      );
      return { applied: true, demoted: written.records.map((record) => record.get('entity') as EntityRecord) };
    });
  } finally {
    await session.close();
  }
}
