import neo4j, { type Driver } from 'neo4j-driver';
import { readRecords } from './driver.js';
import { entityProjection, type EntityRecord, type RelationRecord, type TransitionRecord } from './records.js';

/** Many entities by id in one statement; ids with no node are absent from the map. */
export async function readEntities(driver: Driver, ids: readonly string[]): Promise<Map<string, EntityRecord>> {
  const records = await readRecords(
    driver,
    `MATCH (e:MedicalEntity) WHERE e.id IN $ids RETURN ${entityProjection} AS entity`,
    { ids },
  );
  return new Map(records.map((record) => {
    const entity = record.get('entity') as EntityRecord;
    return [entity.id, entity];
  }));
}

/**
 * Relations of many entities in one statement, both directions, ordered by confidence then
 * target id so pages are stable. `types` null means every type.
 */
export async function readRelations(driver: Driver, ids: readonly string[], types: readonly string[] | null, first: number): Promise<Map<string, RelationRecord[]>> {
  const records = await readRecords(
    driver,
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
  );
  return new Map(records.map((record) => [record.get('id') as string, record.get('relations') as RelationRecord[]]));
}

/** Layer transitions of many entities in one statement, oldest first. */
export async function readLayerHistory(driver: Driver, ids: readonly string[]): Promise<Map<string, TransitionRecord[]>> {
  const records = await readRecords(
    driver,
    `UNWIND $ids AS id
     OPTIONAL MATCH (t:LayerTransition {entity_id: id})
     WITH id, t, CASE WHEN t.created_at IS :: STRING THEN datetime(t.created_at) ELSE t.created_at END AS at
     ORDER BY at, t.transition_id
     RETURN id, collect(CASE WHEN t IS NULL THEN NULL ELSE {
       id: t.transition_id, entityId: t.entity_id, fromLayer: t.from_layer, toLayer: t.to_layer,
       trigger: t.trigger_type, reason: t.reason, at: toString(at) } END) AS history`,
    { ids },
  );
  return new Map(records.map((record) => [record.get('id') as string, record.get('history') as TransitionRecord[]]));
}

/**
 * Entity ids for references that are entity ids or entity names (legacy messages named the
 * concepts they mention either way): a name maps to the id of the entity of that name, when
 * exactly one has it. References matching nothing are absent from the map.
 */
export async function resolveEntityReferences(driver: Driver, references: readonly string[]): Promise<Map<string, string>> {
  if (references.length === 0) return new Map();
  const records = await readRecords(
    driver,
    `UNWIND $references AS reference
     CALL (reference) {
       OPTIONAL MATCH (byId:MedicalEntity {id: reference})
       OPTIONAL MATCH (byName:MedicalEntity {name: reference})
       WITH byId, collect(DISTINCT byName.id) AS named
       RETURN coalesce(byId.id, CASE WHEN size(named) = 1 THEN named[0] END) AS id
     }
     RETURN reference, id`,
    { references: [...new Set(references)] },
  );
  const resolved = new Map<string, string>();
  for (const record of records) {
    const id = record.get('id') as string | null;
    if (id !== null) resolved.set(record.get('reference') as string, id);
  }
  return resolved;
}
