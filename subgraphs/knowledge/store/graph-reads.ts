import neo4j, { type Driver } from 'neo4j-driver';
import type { Layer } from '../rules.js';
import { readRecords } from './driver.js';

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

/** A patient's clinical records, shaped like the GraphQL Patient type. */
export interface PatientRecord {
  id: string;
  diagnoses: { id: string; condition: string; icd10Code: string | null; diagnosedDate: string | null; status: string | null }[];
  medications: { id: string; name: string; dosage: string | null; frequency: string | null; status: string | null }[];
  allergies: { id: string; substance: string; reaction: string | null; severity: string | null }[];
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

/** The records of many patients in one statement, each list ordered by record id; ids with no node are absent. */
export async function readPatients(driver: Driver, ids: readonly string[]): Promise<Map<string, PatientRecord>> {
  const records = await readRecords(
    driver,
    `MATCH (p:Patient) WHERE p.id IN $ids
     RETURN p {
       .id,
       diagnoses: COLLECT { MATCH (p)-[:HAS_DIAGNOSIS]->(d:Diagnosis) RETURN d { .id, .condition, icd10Code: d.icd10_code, diagnosedDate: d.diagnosed_date, .status } ORDER BY d.id },
       medications: COLLECT { MATCH (p)-[:CURRENT_MEDICATION]->(m:Medication) RETURN m { .id, .name, .dosage, .frequency, .status } ORDER BY m.id },
       allergies: COLLECT { MATCH (p)-[:HAS_ALLERGY]->(a:Allergy) RETURN a { .id, .substance, .reaction, .severity } ORDER BY a.id }
     } AS patient`,
    { ids },
  );
  return new Map(records.map((record) => {
    const patient = record.get('patient') as PatientRecord;
    return [patient.id, patient];
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
