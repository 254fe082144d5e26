import neo4j, { type Driver } from 'neo4j-driver';
import { readLegacy, writeLegacy } from '../driver.js';
import { generateDatasetChunk, sessionsPerChunk, type DatasetChunk, type DatasetOptions } from './generate-dataset.js';

/**
 * Writes a generated legacy dataset as the legacy application did: `:Entity` labels and MERGE
 * for sessions, messages, patients and documents, plain CREATE for feedback and quality reports,
 * upper-case relationships.
 */

export interface WrittenDataset {
  patients: number;
  sessions: number;
  messages: number;
  orphanMessages: number;
  feedback: number;
  documents: number;
  chunks: number;
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
  await writeDocuments(driver, chunk.documents);
}

async function writeDocuments(driver: Driver, generated: DatasetChunk['documents']): Promise<void> {
  await writeLegacy(driver, async (tx) => {
    await tx.run(
      `UNWIND $rows AS row
       MERGE (d:Entity:Document {id: row.id}) SET d += row.props
       WITH d, row
       CALL (d, row) {
         UNWIND row.chunks AS chunk
         MERGE (c:Entity:Chunk {id: chunk.id}) SET c += chunk.props
         MERGE (d)-[:HAS_CHUNK {sequence: chunk.sequence}]->(c)
         WITH c, chunk UNWIND chunk.mentions AS mention
         MERGE (x:Entity:ExtractedEntity {id: mention.id}) ON CREATE SET x.name = mention.name, x.generated_by = row.props.generated_by
         MERGE (c)-[:MENTIONS]->(x)
       }
       CALL (d, row) {
         WITH row WHERE row.quality IS NOT NULL
         CREATE (q:DocumentQuality) SET q = row.quality
         CREATE (d)-[:HAS_QUALITY_REPORT]->(q)
       }`,
      { rows: generated.documents },
    );
    await tx.run('UNWIND $rows AS row MERGE (c:Entity:Chunk {id: row.id}) SET c += row.props', { rows: generated.orphanChunks });
  });
}

/** Writes `sessions` sessions (with their messages, feedback and patients); `progress` after each chunk. */
export async function writeLegacyDataset(driver: Driver, options: DatasetOptions & { sessions: number }, progress: (written: WrittenDataset) => void = () => undefined): Promise<WrittenDataset> {
  const written: WrittenDataset = { patients: 0, sessions: 0, messages: 0, orphanMessages: 0, feedback: 0, documents: 0, chunks: 0 };
  for (let chunk = 0; written.sessions < options.sessions; chunk += 1) {
    const records = generateDatasetChunk(options, chunk, Math.min(sessionsPerChunk, options.sessions - written.sessions));
    await writeChunk(driver, records);
    written.patients += records.patients.length;
    written.sessions += records.sessions.length;
    written.messages += records.messages.length;
    written.orphanMessages += records.messages.filter((message) => message.sessionId === undefined).length;
    written.feedback += records.feedback.length;
    written.documents += records.documents.documents.length;
    written.chunks += records.documents.documents.reduce((sum, document) => sum + document.chunks.length, 0) + records.documents.orphanChunks.length;
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

/** Session, message, feedback and document nodes the dataset `tag` did not generate, and changes waiting for a relay: a rehearsal or benchmark refuses a store holding any. */
export async function foreignLegacyRecords(driver: Driver, tag: string): Promise<number> {
  const [record] = await readLegacy(driver, 'MATCH (n) WHERE ((n:ConversationSession OR n:Message OR n:UserFeedback OR n:Document OR n:Chunk) AND coalesce(n.generated_by, "") <> $tag) OR n:MigrationChange RETURN count(n) AS count', { tag });
  return neo4j.integer.toNumber(record?.get('count') as number);
}
