import neo4j, { type Driver } from 'neo4j-driver';
import { readLegacy, writeLegacy } from '../driver.js';
import { generateDatasetChunk, sessionsPerChunk, type DatasetChunk, type DatasetOptions } from './generate-dataset.js';

/**
 * Writes a generated legacy dataset as the legacy application did: `:Entity` labels and MERGE
 * for sessions, messages and patients, plain CREATE for feedback, upper-case relationships.
 */

export interface WrittenDataset {
  patients: number;
  sessions: number;
  messages: number;
  orphanMessages: number;
  feedback: number;
}

async function writeChunk(driver: Driver, chunk: DatasetChunk): Promise<void> {
  await writeLegacy(driver, async (tx) => {
    await tx.run('UNWIND $rows AS row MERGE (p:Entity:Patient {id: row.id}) ON CREATE SET p += row.props', { rows: chunk.patients });
    await tx.run(
      `UNWIND $rows AS row
       MERGE (s:Entity:ConversationSession {id: row.id}) SET s += row.props
       WITH s, row MATCH (p:Patient {id: row.patientId}) MERGE (p)-[:HAS_SESSION]->(s)`,
      { rows: chunk.sessions },
    );
  });
  for (let start = 0; start < chunk.messages.length; start += 2000) {
    const rows = chunk.messages.slice(start, start + 2000);
    await writeLegacy(driver, (tx) =>
      tx.run(
        `UNWIND $rows AS row
         MERGE (m:Entity:Message {id: row.id}) SET m += row.props
         WITH m, row WHERE row.sessionId IS NOT NULL
         MATCH (s:ConversationSession {id: row.sessionId}) MERGE (s)-[:HAS_MESSAGE {timestamp: row.timestamp}]->(m)`,
        { rows },
      ),
    );
  }
  await writeLegacy(driver, (tx) =>
    tx.run(
      `UNWIND $rows AS row
       CREATE (f:UserFeedback) SET f = row.props
       WITH f, row UNWIND row.entityIds AS entityId
       MATCH (e:MedicalEntity {id: entityId}) MERGE (f)-[:ABOUT_ENTITY]->(e)`,
      { rows: chunk.feedback },
    ),
  );
}

/** Writes `sessions` sessions (with their messages, feedback and patients); `progress` after each chunk. */
export async function writeLegacyDataset(driver: Driver, options: DatasetOptions & { sessions: number }, progress: (written: WrittenDataset) => void = () => undefined): Promise<WrittenDataset> {
  const written: WrittenDataset = { patients: 0, sessions: 0, messages: 0, orphanMessages: 0, feedback: 0 };
  for (let chunk = 0; written.sessions < options.sessions; chunk += 1) {
    const records = generateDatasetChunk(options, chunk, Math.min(sessionsPerChunk, options.sessions - written.sessions));
    await writeChunk(driver, records);
    written.patients += records.patients.length;
    written.sessions += records.sessions.length;
    written.messages += records.messages.length;
    written.orphanMessages += records.messages.filter((message) => message.sessionId === undefined).length;
    written.feedback += records.feedback.length;
    progress(written);
  }
  return written;
}

/** Entity ids and names of the knowledge graph that generated records may refer to (a sample). */
export async function knowledgeConcepts(driver: Driver, limit = 200): Promise<DatasetOptions['concepts']> {
  const records = await readLegacy(driver, 'MATCH (e:MedicalEntity) RETURN e.id AS id, e.name AS name ORDER BY e.id LIMIT $limit', { limit: neo4j.int(limit) });
  return { ids: records.map((record) => record.get('id') as string), names: records.map((record) => record.get('name') as string).filter(Boolean) };
}

/** Removes every node of the dataset `tag` generated (auto-commit batches: CALL ... IN TRANSACTIONS needs them). */
export async function removeLegacyDataset(driver: Driver, tag: string): Promise<void> {
  const session = driver.session();
  try {
    await session.run('MATCH (n) WHERE n.generated_by = $tag CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS', { tag });
  } finally {
    await session.close();
  }
}

/** Session, message and feedback nodes the dataset `tag` did not generate: a rehearsal or benchmark refuses a store holding any. */
export async function foreignLegacyRecords(driver: Driver, tag: string): Promise<number> {
  const [record] = await readLegacy(driver, 'MATCH (n) WHERE (n:ConversationSession OR n:Message OR n:UserFeedback) AND coalesce(n.generated_by, "") <> $tag RETURN count(n) AS count', { tag });
  return neo4j.integer.toNumber(record?.get('count') as number);
}
