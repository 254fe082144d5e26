import type { Layer } from '../rules.js';

/** A MedicalEntity as plain values, shaped like the GraphQL type. */
export interface EntityRecord {
  id: string;
  name: string;
  type: string;
  description: string | null;
  layer: Layer;
  confidence: number;
  synonyms: string[];
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
export const entityProjection = `e { .id, .name, .description, .layer, confidence: coalesce(e.confidence, 0.0), synonyms: coalesce(e.synonyms, []),
  type: toUpper(head([label IN labels(e) WHERE NOT label IN ['MedicalEntity', 'Entity']])) }`;

/** Cypher map projection of a patient `p` into a PatientRecord: its records, each list ordered by id. */
export const patientProjection = `p {
  .id,
  diagnoses: COLLECT { MATCH (p)-[:HAS_DIAGNOSIS]->(d:Diagnosis) RETURN d { .id, .condition, icd10Code: d.icd10_code, diagnosedDate: d.diagnosed_date, .status } ORDER BY d.id },
  medications: COLLECT { MATCH (p)-[:CURRENT_MEDICATION]->(m:Medication) RETURN m { .id, .name, .dosage, .frequency, .status } ORDER BY m.id },
  allergies: COLLECT { MATCH (p)-[:HAS_ALLERGY]->(a:Allergy) RETURN a { .id, .substance, .reaction, .severity } ORDER BY a.id }
}`;
