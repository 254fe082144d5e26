import neo4j, { type Driver } from 'neo4j-driver';
import { searchKeysOf, searchKeysVersion } from '../search/search-keys.js';

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
  // search_text is folded in the project (search/search-keys.ts): the index only splits it into words
  "CREATE FULLTEXT INDEX medical_entity_names IF NOT EXISTS FOR (n:MedicalEntity) ON EACH [n.search_text] OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
];

/**
 * Creates the knowledge graph's constraints and indexes on start-up, waits until they are
 * online, and gives search keys to entities written without them (or with older ones).
 */
export async function ensureKnowledgeSchema(driver: Driver): Promise<void> {
  for (const statement of statements) await driver.executeQuery(statement);
  await driver.executeQuery('CALL db.awaitIndexes(120)');
  await keyEntitiesForSearch(driver);
}

async function keyEntitiesForSearch(driver: Driver, batchSize = 1000): Promise<void> {
  for (;;) {
    const { records } = await driver.executeQuery(
      `MATCH (e:MedicalEntity) WHERE coalesce(e.search_keys_version, 0) < $version
       RETURN e.id AS id, e.name AS name, e.synonyms AS synonyms, e.ontology_codes AS ontologyCodes LIMIT $batchSize`,
      { version: searchKeysVersion, batchSize: neo4j.int(batchSize) },
    );
    if (records.length === 0) return;
    const rows = records.map((record) => ({
      id: record.get('id') as string,
      keys: searchKeysOf({ name: String(record.get('name') ?? ''), synonyms: record.get('synonyms') as string[] | null, ontologyCodes: record.get('ontologyCodes') as string[] | null }),
    }));
    await driver.executeQuery('UNWIND $rows AS row MATCH (e:MedicalEntity {id: row.id}) SET e += row.keys', { rows });
  }
}
