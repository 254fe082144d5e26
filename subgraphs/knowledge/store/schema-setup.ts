import type { Driver } from 'neo4j-driver';

/** Unique ids and lookup indexes; every statement is idempotent (IF NOT EXISTS). */
const statements = [
  'CREATE CONSTRAINT medical_entity_id IF NOT EXISTS FOR (n:MedicalEntity) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT patient_id IF NOT EXISTS FOR (n:Patient) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT diagnosis_id IF NOT EXISTS FOR (n:Diagnosis) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT medication_id IF NOT EXISTS FOR (n:Medication) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT allergy_id IF NOT EXISTS FOR (n:Allergy) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT layer_transition_id IF NOT EXISTS FOR (n:LayerTransition) REQUIRE n.transition_id IS UNIQUE',
  'CREATE CONSTRAINT processed_event_id IF NOT EXISTS FOR (n:ProcessedEvent) REQUIRE n.id IS UNIQUE',
  'CREATE INDEX medical_entity_layer IF NOT EXISTS FOR (n:MedicalEntity) ON (n.layer)',
  // legacy messages name the entities they mention by id or by name (migration resolves names)
  'CREATE INDEX medical_entity_name IF NOT EXISTS FOR (n:MedicalEntity) ON (n.name)',
  'CREATE INDEX layer_transition_entity IF NOT EXISTS FOR (n:LayerTransition) ON (n.entity_id)',
  'CREATE FULLTEXT INDEX medical_entity_text IF NOT EXISTS FOR (n:MedicalEntity) ON EACH [n.name, n.description]',
];

/** Creates the knowledge graph's constraints and indexes on start-up and waits until they are online. */
export async function ensureKnowledgeSchema(driver: Driver): Promise<void> {
  for (const statement of statements) await driver.executeQuery(statement);
  await driver.executeQuery('CALL db.awaitIndexes(120)');
}
