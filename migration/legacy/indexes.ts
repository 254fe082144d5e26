import type { Driver } from 'neo4j-driver';

/**
 * The indexes legacy reads need (lookups by id, patient, response, session) and the one of the
 * dual-write changes; every statement is idempotent. The legacy application had none of them.
 */
const statements = [
  'CREATE INDEX legacy_session_id IF NOT EXISTS FOR (n:ConversationSession) ON (n.id)',
  'CREATE INDEX legacy_session_patient IF NOT EXISTS FOR (n:ConversationSession) ON (n.patient_id)',
  'CREATE INDEX legacy_message_id IF NOT EXISTS FOR (n:Message) ON (n.id)',
  'CREATE INDEX legacy_message_patient IF NOT EXISTS FOR (n:Message) ON (n.patient_id)',
  'CREATE INDEX legacy_message_response IF NOT EXISTS FOR (n:Message) ON (n.response_id)',
  'CREATE FULLTEXT INDEX legacy_message_content IF NOT EXISTS FOR (n:Message) ON EACH [n.content]',
  'CREATE INDEX legacy_feedback_id IF NOT EXISTS FOR (n:UserFeedback) ON (n.feedback_id)',
  'CREATE INDEX legacy_feedback_session IF NOT EXISTS FOR (n:UserFeedback) ON (n.session_id)',
  'CREATE INDEX legacy_feedback_response IF NOT EXISTS FOR (n:UserFeedback) ON (n.response_id)',
  'CREATE INDEX legacy_feedback_patient IF NOT EXISTS FOR (n:UserFeedback) ON (n.patient_id)',
  'CREATE INDEX legacy_document_id IF NOT EXISTS FOR (n:Document) ON (n.id)',
  'CREATE INDEX legacy_chunk_id IF NOT EXISTS FOR (n:Chunk) ON (n.id)',
  'CREATE INDEX legacy_change_order IF NOT EXISTS FOR (n:MigrationChange) ON (n.seq)',
  'CREATE INDEX legacy_change_aggregate IF NOT EXISTS FOR (n:MigrationChange) ON (n.aggregate)',
  'CREATE CONSTRAINT legacy_change_id IF NOT EXISTS FOR (n:MigrationChange) REQUIRE n.change_id IS UNIQUE',
  'CREATE CONSTRAINT legacy_migration_lock IF NOT EXISTS FOR (n:MigrationLock) REQUIRE n.key IS UNIQUE',
];

export async function ensureLegacyIndexes(driver: Driver): Promise<void> {
  for (const statement of statements) await driver.executeQuery(statement);
  await driver.executeQuery('CALL db.awaitIndexes(120)');
}
