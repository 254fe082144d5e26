import type { Driver } from 'neo4j-driver';
import { labelOf, type EntityType, type Layer, type RelationType } from '../rules.js';
import { entityProjection, type EntityRecord } from './records.js';
import { searchKeysOf } from '../search/search-keys.js';

export interface EntityInput {
  id: string;
  name: string;
  type: EntityType;
  description: string;
  layer: Layer;
  confidence: number;
  category?: string;
  sourceDocument?: string;
  validationCount?: number;
  ontologyCodes?: string[];
  synonyms?: string[];
}

export interface RelationInput {
  from: string;
  to: string;
  type: RelationType;
  layer: Layer;
  confidence: number;
}

export interface PatientInput {
  id: string;
  diagnoses: { id: string; condition: string; icd10Code: string; diagnosedDate: string; status: string }[];
  medications: { id: string; name: string; dosage: string; frequency: string; startedDate: string; status: string }[];
  allergies: { id: string; substance: string; reaction: string; severity: string }[];
}

/** Writes entities in the legacy shape (:Entity:MedicalEntity:<Type>, snake_case properties); labels come from the closed EntityType set. */
export async function upsertEntities(driver: Driver, entities: readonly EntityInput[]): Promise<EntityRecord[]> {
  const rows = entities.map((e) => ({
    ...e,
    label: labelOf(e.type),
    ontologyCodes: e.ontologyCodes ?? [],
    synonyms: e.synonyms ?? [],
    validationCount: e.validationCount ?? 0,
    keys: searchKeysOf(e),
  }));
  const { records } = await driver.executeQuery(
    `UNWIND $rows AS row
     MERGE (e:MedicalEntity {id: row.id})
     ON CREATE SET e.created_at = toString(localdatetime())
     SET e:Entity, e:$(row.label), e.name = row.name, e.type = row.type, e.description = row.description,
       e.layer = row.layer, e.confidence = row.confidence, e.category = row.category, e.source_document = row.sourceDocument,
       e.validation_count = row.validationCount, e.ontology_codes = row.ontologyCodes, e.synonyms = row.synonyms, e += row.keys
     RETURN ${entityProjection} AS entity`,
    { rows },
  );
  return records.map((record) => record.get('entity') as EntityRecord);
}

/** MERGEs relationships (upper-case types from the closed RelationType set) carrying layer and confidence. */
export async function upsertRelations(driver: Driver, relations: readonly RelationInput[]): Promise<void> {
  await driver.executeQuery(
    `UNWIND $relations AS rel
     MATCH (a:MedicalEntity {id: rel.from}), (b:MedicalEntity {id: rel.to})
     MERGE (a)-[r:$(rel.type)]->(b)
     SET r.layer = rel.layer, r.confidence = rel.confidence`,
    { relations },
  );
}

/** Patients and their records in the legacy shape (:Entity:Patient, HAS_DIAGNOSIS, CURRENT_MEDICATION, HAS_ALLERGY). */
export async function upsertPatients(driver: Driver, patients: readonly PatientInput[]): Promise<void> {
  await driver.executeQuery(
    `UNWIND $patients AS row
     MERGE (p:Entity:Patient {id: row.id})
     ON CREATE SET p.created_at = toString(localdatetime()), p.consent_given = true, p.pii_anonymized = true, p.data_retention_policy = 'standard'
     FOREACH (dx IN row.diagnoses |
       MERGE (d:Entity:Diagnosis {id: dx.id})
       SET d.condition = dx.condition, d.icd10_code = dx.icd10Code, d.diagnosed_date = dx.diagnosedDate, d.status = dx.status
       MERGE (p)-[:HAS_DIAGNOSIS]->(d))
     FOREACH (med IN row.medications |
       MERGE (m:Entity:Medication {id: med.id})
       SET m.name = med.name, m.dosage = med.dosage, m.frequency = med.frequency, m.started_date = med.startedDate, m.status = med.status
       MERGE (p)-[:CURRENT_MEDICATION]->(m))
     FOREACH (allergy IN row.allergies |
       MERGE (a:Entity:Allergy {id: allergy.id})
       SET a.substance = allergy.substance, a.reaction = allergy.reaction, a.severity = allergy.severity
       MERGE (p)-[:HAS_ALLERGY]->(a))`,
    { patients },
  );
}
