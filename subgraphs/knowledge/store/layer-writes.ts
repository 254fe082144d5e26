import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { notFound } from '../../../lib/errors.js';
import { resolveManualMove, type Layer } from '../rules.js';
import { entityProjection, type EntityRecord, type TransitionRecord } from './records.js';

export interface ManualMove {
  id: string;
  direction: 'up' | 'down';
  requested?: Layer | null;
  reason: string;
  actor: string;
}

/** Cypher creating the LayerTransition of entity `e` moving $from -> $to, returned as `transition`. */
export const createTransition = `CREATE (t:LayerTransition {transition_id: randomUUID(), entity_id: e.id, from_layer: from, to_layer: to,
  status: 'completed', trigger_type: trigger, reason: reason, actor: actor, created_at: datetime()})
  WITH e, t
  RETURN ${entityProjection} AS entity, t { id: t.transition_id, entityId: t.entity_id, fromLayer: t.from_layer, toLayer: t.to_layer,
    trigger: t.trigger_type, reason: t.reason, at: toString(t.created_at) } AS transition`;

export interface LayerChange {
  entity: EntityRecord;
  transition: TransitionRecord;
}

/**
 * Moves one entity one layer (a clinician's decision) and records the LayerTransition in the
 * same transaction. The entity is write-locked first so concurrent moves serialise.
 */
export async function moveEntityLayer(driver: Driver, move: ManualMove): Promise<LayerChange> {
  const session = driver.session();
  try {
    return await session.executeWrite(async (tx: ManagedTransaction) => {
      const locked = await tx.run('MATCH (e:MedicalEntity {id: $id}) SET e._lock = true REMOVE e._lock RETURN e.layer AS layer', { id: move.id });
      const current = locked.records[0]?.get('layer') as Layer | undefined;
      if (!current) throw notFound('MedicalEntity', move.id);
      const to = resolveManualMove(current, move.direction, move.requested);
      const result = await tx.run(
        `MATCH (e:MedicalEntity {id: $id}) SET e.layer = $to
         WITH e, $from AS from, $to AS to, 'manual' AS trigger, $reason AS reason, $actor AS actor
         ${createTransition}`,
        { id: move.id, from: current, to, reason: move.reason, actor: move.actor },
      );
      const record = result.records[0];
      if (!record) throw notFound('MedicalEntity', move.id);
      return { entity: record.get('entity') as EntityRecord, transition: record.get('transition') as TransitionRecord };
    });
  } finally {
    await session.close();
  }
}

/** The legacy promotion rules, highest step first so one scan moves an entity at most one layer. */
const promotionRules: readonly { from: Layer; to: Layer; condition: string; reason: string }[] = [
  {
    from: 'REASONING',
    to: 'APPLICATION',
    condition: 'coalesce(e.query_count_24h, 0) >= 10 AND coalesce(e.cache_hit_rate, 0.0) >= 0.5',
    reason: 'query_count >= 10 within 24 h and cache hit rate >= 0.5',
  },
  {
    from: 'SEMANTIC',
    to: 'REASONING',
    condition: "coalesce(e.confidence, 0.0) >= 0.90 OR COUNT { (:MedicalEntity {layer: 'SEMANTIC'})-->(e) } >= 5",
    reason: 'confidence >= 0.90 or >= 5 incoming references from SEMANTIC entities',
  },
  {
    from: 'PERCEPTION',
    to: 'SEMANTIC',
    condition: 'coalesce(e.confidence, 0.0) >= 0.85 OR coalesce(e.validation_count, 0) >= 3 OR size(coalesce(e.ontology_codes, [])) > 0',
    reason: 'confidence >= 0.85, validation_count >= 3 or ontology codes present',
  },
];

/**
 * Promotes every eligible entity, `batchSize` per transaction (each batch writes its layer
 * changes and LayerTransitions atomically). Rules run highest step first, so an entity moves at
 * most one layer per scan. Conditions are the constants above, never user input. `onBatch` sees each committed batch (entity events are published there).
 */
export async function promoteEligibleEntities(driver: Driver, batchSize: number, onBatch: (changes: LayerChange[]) => Promise<void>): Promise<number> {
  let promoted = 0;
  for (const rule of promotionRules) {
    for (;;) {
      const { records } = await driver.executeQuery(
        `MATCH (e:MedicalEntity {layer: $from})
         WHERE ${rule.condition}
         WITH e ORDER BY e.id LIMIT $batchSize
         SET e.layer = $to
         WITH e, $from AS from, $to AS to, 'automatic' AS trigger, $reason AS reason, 'promotion-scan' AS actor
         ${createTransition}`,
        { from: rule.from, to: rule.to, reason: rule.reason, batchSize: neo4j.int(batchSize) },
      );
      const changes = records.map((record) => ({ entity: record.get('entity') as EntityRecord, transition: record.get('transition') as TransitionRecord }));
      promoted += changes.length;
      if (changes.length > 0) await onBatch(changes);
      if (changes.length < batchSize) break;
    }
  }
  return promoted;
}
