import neo4j, { type Driver } from 'neo4j-driver';
import type { Layer } from '../rules.js';

/** A MedicalEntity as plain values, shaped like the GraphQL type. */
export interface EntityRecord {
  id: string;
  name: string;
  type: string;
  description: string | null;
  layer: Layer;
  confidence: number;
}

export interface RelationRecord {
  type: string;
  confidence: number | null;
  layer: Layer | null;
  target: EntityRecord;
}

export interface TransitionRecord {
  id: string;
  entityId: string;
  fromLayer: Layer;
  toLayer: Layer;
  trigger: string;
  reason: string | null;
  at: string;
}

/** Cypher map projection of an entity `e` into an EntityRecord. */
export const entityProjection = `e { .id, .name, .description, .layer, confidence: coalesce(e.confidence, 0.0),
  type: toUpper(head([label IN labels(e) WHERE NOT label IN ['MedicalEntity', 'Entity']])) }`;

/**
 * Relations of many entities in one statement, both directions, ordered by confidence then
 * target id so pages are stable. `types` null means every type.
 */
export async function readRelations(driver: Driver, ids: readonly string[], types: readonly string[] | null, first: number): Promise<Map<string, RelationRecord[]>> {
  const { records } = await driver.executeQuery(
    `UNWIND $ids AS id
     MATCH (source:MedicalEntity {id: id})
     CALL (source) {
       MATCH (source)-[r]-(e:MedicalEntity)
       WHERE $types IS NULL OR type(r) IN $types
       WITH r, e ORDER BY coalesce(r.confidence, 0.0) DESC, e.id, type(r)
       LIMIT $first
       RETURN collect({ type: type(r), confidence: r.confidence, layer: r.layer, target: ${entityProjection} }) AS relations
     }
     RETURN id, relations`,
    { ids, types, first: neo4j.int(first) },
    { routing: 'READ' },
  );
  return new Map(records.map((record) => [record.get('id') as string, record.get('relations') as RelationRecord[]]));
}

/** Layer transitions of many entities in one statement, oldest first. */
export async function readLayerHistory(driver: Driver, ids: readonly string[]): Promise<Map<string, TransitionRecord[]>> {
  const { records } = await driver.executeQuery(
    `UNWIND $ids AS id
     OPTIONAL MATCH (t:LayerTransition {entity_id: id})
     WITH id, t, CASE WHEN t.created_at IS :: STRING THEN datetime(t.created_at) ELSE t.created_at END AS at
     ORDER BY at, t.transition_id
     RETURN id, collect(CASE WHEN t IS NULL THEN NULL ELSE {
       id: t.transition_id, entityId: t.entity_id, fromLayer: t.from_layer, toLayer: t.to_layer,
       trigger: t.trigger_type, reason: t.reason, at: toString(at) } END) AS history`,
    { ids },
    { routing: 'READ' },
  );
  return new Map(records.map((record) => [record.get('id') as string, record.get('history') as TransitionRecord[]]));
}
