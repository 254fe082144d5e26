import neo4j, { type Driver, type ManagedTransaction, type Record as Neo4jRecord } from 'neo4j-driver';
import { documentStatuses, type DocumentQualityRow, type DocumentRow } from '../../subgraphs/operations/store/index.js';
import { readLegacy } from './driver.js';
import type { LegacyFormat } from './legacy-format.js';
import type { ConceptResolver } from './message-reads.js';
import { describeType, fieldReader, oneOf, optionalNumber, optionalText, optionalTimestamp, requiredText, type Problem } from './values.js';

/**
 * Documents: `(:Document)-[:HAS_CHUNK {sequence}]->(:Chunk {id, text})-[:MENTIONS]->(:ExtractedEntity)`
 * and `(d)-[:HAS_QUALITY_REPORT]->(:DocumentQuality)`. A document reads as its PostgreSQL row
 * (id and external id the legacy id), its quality, and its chunks in sequence order with the
 * knowledge-graph entities they mention (an extracted entity resolved by its id, else its name).
 * Missing `status` means `completed` when the document has chunks, `pending` otherwise. A
 * document ingested during the move has its chunks in Qdrant only: its node keeps their count.
 */

export interface DocumentChunk {
  index: number;
  text: string;
  /** Knowledge-graph entity ids, in order of the extracted entities' ids. */
  entityIds: string[];
}

export interface MovedDocument {
  document: DocumentRow;
  quality: DocumentQualityRow | null;
  chunks: DocumentChunk[];
  /** Chunks naming extracted entities the knowledge graph does not hold: they move without those links. */
  unresolved: { index: number; count: number }[];
}

export type LegacyDocument = { id: string; row: MovedDocument; problems: [] } | { id: string; row: undefined; problems: Problem[] };

const scoreFields = {
  informationDensity: 'information_density',
  structuralClarity: 'structural_clarity',
  entityCoherence: 'entity_coherence',
  contextSufficiency: 'context_sufficiency',
  contextualRelevancy: 'contextual_relevancy',
  compositeScore: 'composite_score',
} as const;

const documentColumns = `d {.*} AS props,
  COLLECT { MATCH (d)-[r:HAS_CHUNK]->(c:Chunk)
            RETURN {sequence: r.sequence, text: c.text, mentions: COLLECT { MATCH (c)-[:MENTIONS]->(x:ExtractedEntity) RETURN [x.id, x.name] ORDER BY x.id }}
            ORDER BY r.sequence, c.id } AS chunks,
  COLLECT { MATCH (d)-[:HAS_QUALITY_REPORT]->(q:DocumentQuality) RETURN q {.*} } AS quality`;

interface ChunkProps {
  sequence: unknown;
  text: unknown;
  mentions: [unknown, unknown][];
}

function readChunks(chunks: readonly ChunkProps[], problems: Problem[]): { index: number; text: string; references: [string | null, string | null][] }[] {
  const read: { index: number; text: string; references: [string | null, string | null][] }[] = [];
  const seen = new Set<number>();
  chunks.forEach((chunk, position) => {
    const sequence = neo4j.isInt(chunk.sequence) ? chunk.sequence.toNumber() : chunk.sequence;
    if (typeof sequence !== 'number' || !Number.isInteger(sequence) || sequence < 0) {
      problems.push({ field: `chunks[${position}].sequence`, reason: `is ${sequence === null || sequence === undefined ? 'missing' : describeType(chunk.sequence)}, not a position from 0` });
      return;
    }
    if (seen.has(sequence)) problems.push({ field: `chunks[${position}].sequence`, reason: `repeats position ${sequence}` });
    seen.add(sequence);
    if (typeof chunk.text !== 'string' || chunk.text.trim() === '') problems.push({ field: `chunks[${sequence}].text`, reason: typeof chunk.text === 'string' ? 'is empty' : `is ${describeType(chunk.text)}, not text` });
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    read.push({ index: sequence, text: String(chunk.text ?? ''), references: chunk.mentions.map(([id, name]) => [text(id), text(name)]) });
  });
  return read;
}

function readQuality(documentId: string, nodes: readonly Record<string, unknown>[], createdAt: DocumentRow['createdAt'] | undefined, format: LegacyFormat, problems: Problem[]): DocumentQualityRow | null {
  if (nodes.length === 0) return null;
  if (nodes.length > 1) {
    problems.push({ field: 'quality', reason: `has ${nodes.length} quality reports; one is expected` });
    return null;
  }
  const props = nodes[0] as Record<string, unknown>;
  const fields = fieldReader();
  const scores = Object.fromEntries(Object.entries(scoreFields).map(([key, name]) => [key, fields.take(optionalNumber(`quality.${name}`, props[name])) ?? null])) as Record<keyof typeof scoreFields, number | null>;
  const assessedAt = fields.take(optionalTimestamp(format.readTime, 'quality.assessed_at', props.assessed_at));
  problems.push(...fields.problems);
  return { documentId, ...scores, assessedAt: assessedAt ?? createdAt ?? new Date(0) };
}

async function documentsFromRecords(records: readonly Neo4jRecord[], format: LegacyFormat, resolveConcepts: ConceptResolver): Promise<LegacyDocument[]> {
  const parsed = records.map((record) => {
    const props = record.get('props') as Record<string, unknown>;
    const fields = fieldReader();
    const id = fields.take(requiredText('id', props.id)) ?? '<node without id>';
    const chunks = readChunks(record.get('chunks') as ChunkProps[], fields.problems);
    const createdAt = fields.take(format.readTime('created_at', props.created_at));
    const updatedAt = fields.take(optionalTimestamp(format.readTime, 'updated_at', props.updated_at));
    const status = fields.take(oneOf('status', optionalText('status', props.status), documentStatuses));
    const filename = fields.take(requiredText('filename', props.filename));
    const title = fields.take(optionalText('title', props.title));
    const source = fields.take(optionalText('source', props.source));
    // written by this project for documents ingested during the move (their chunks went to Qdrant only)
    const storedChunkCount = fields.take(optionalNumber('chunk_count', props.chunk_count));
    const ingestAttempt = fields.take(optionalNumber('ingest_attempt', props.ingest_attempt));
    const failureReason = fields.take(optionalText('failure_reason', props.failure_reason));
    const quality = readQuality(id, record.get('quality') as Record<string, unknown>[], createdAt, format, fields.problems);
    if (fields.problems.length > 0 || !createdAt || status === undefined || filename === undefined || title === undefined || source === undefined) return { id, problems: fields.problems };
    const document: DocumentRow = {
      id, externalId: id, filename, title, source, status: status ?? (chunks.length > 0 ? 'completed' : 'pending'),
      chunkCount: chunks.length > 0 ? chunks.length : (storedChunkCount ?? 0), ingestAttempt: ingestAttempt ?? 1, failureReason: failureReason ?? null, createdAt, updatedAt: updatedAt ?? createdAt,
    };
    return { id, problems: [], document, quality, chunks };
  });
  const references = parsed.flatMap((one) => (one.chunks ?? []).flatMap((chunk) => chunk.references.flat().filter((value): value is string => value !== null)));
  const resolved = await resolveConcepts([...new Set(references)]);
  return parsed.map((one): LegacyDocument => {
    if (!('document' in one) || !one.document || !one.chunks) return { id: one.id, row: undefined, problems: one.problems };
    const unresolved: MovedDocument['unresolved'] = [];
    const chunks = one.chunks.map((chunk) => {
      const ids = chunk.references.map(([id, name]) => (id !== null ? resolved.get(id) : undefined) ?? (name !== null ? resolved.get(name) : undefined));
      const missing = ids.filter((entityId) => entityId === undefined).length;
      if (missing > 0) unresolved.push({ index: chunk.index, count: missing });
      return { index: chunk.index, text: chunk.text, entityIds: [...new Set(ids.filter((entityId): entityId is string => entityId !== undefined))] };
    });
    return { id: one.id, row: { document: one.document, quality: one.quality ?? null, chunks, unresolved }, problems: [] };
  });
}

/** The next `limit` documents by id after `after` (null: from the first), and the last id read. */
export async function readDocumentPage(driver: Driver, after: string | null, limit: number, format: LegacyFormat, resolveConcepts: ConceptResolver): Promise<{ documents: LegacyDocument[]; lastKey: string } | undefined> {
  const records = await readLegacy(driver, `MATCH (d:Document) WHERE d.id > $after WITH d ORDER BY d.id LIMIT $limit RETURN ${documentColumns}, d.id AS key`, { after: after ?? '', limit: neo4j.int(limit) });
  const last = records.at(-1);
  if (!last) return undefined;
  return { documents: await documentsFromRecords(records, format, resolveConcepts), lastKey: last.get('key') as string };
}

/** Every document (they are few: the seed plan counts tens), for lists. */
export async function readAllDocuments(driver: Driver, format: LegacyFormat, resolveConcepts: ConceptResolver): Promise<LegacyDocument[]> {
  const records = await readLegacy(driver, `MATCH (d:Document) RETURN ${documentColumns}`);
  return documentsFromRecords(records, format, resolveConcepts);
}

/** Documents ingested during the move: their node counts chunks that only Qdrant holds. */
export async function documentsWithChunksInQdrantOnly(driver: Driver): Promise<Set<string>> {
  const records = await readLegacy(driver, 'MATCH (d:Document) WHERE d.chunk_count > 0 AND NOT (d)-[:HAS_CHUNK]->() RETURN d.id AS id');
  return new Set(records.map((record) => record.get('id') as string));
}

/** One document, locked until the transaction ends (a write decides from its state). */
export async function lockDocumentNode(tx: ManagedTransaction, id: string, format: LegacyFormat, resolveConcepts: ConceptResolver): Promise<LegacyDocument | undefined> {
  const result = await tx.run(`MATCH (d:Document {id: $id}) CALL apoc.lock.nodes([d]) RETURN ${documentColumns}`, { id });
  return (await documentsFromRecords(result.records, format, resolveConcepts))[0];
}

export async function readDocumentsByIds(driver: Driver, ids: readonly string[], format: LegacyFormat, resolveConcepts: ConceptResolver): Promise<LegacyDocument[]> {
  if (ids.length === 0) return [];
  const records = await readLegacy(driver, `MATCH (d:Document) WHERE d.id IN $ids RETURN ${documentColumns}`, { ids: [...new Set(ids)] });
  return documentsFromRecords(records, format, resolveConcepts);
}

/**
 * Writes a document's node and quality report as the legacy application did (MERGE on `:Entity`
 * nodes), leaving its chunks as they are; writing it again changes nothing.
 */
export async function writeDocumentNode(tx: ManagedTransaction, document: DocumentRow, quality: DocumentQualityRow | null, format: LegacyFormat): Promise<void> {
  await tx.run(
    `MERGE (d:Entity:Document {id: $id}) SET d += $props
     WITH d
     CALL (d) { MATCH (d)-[:HAS_QUALITY_REPORT]->(old:DocumentQuality) DETACH DELETE old }`,
    {
      id: document.id,
      props: {
        filename: document.filename, title: document.title, source: document.source, status: document.status, chunk_count: neo4j.int(document.chunkCount),
        ingest_attempt: neo4j.int(document.ingestAttempt), failure_reason: document.failureReason, created_at: format.writeTime(document.createdAt), updated_at: format.writeTime(document.updatedAt),
      },
    },
  );
  if (!quality) return;
  const scores = Object.fromEntries(Object.entries(scoreFields).map(([key, name]) => [name, quality[key as keyof typeof scoreFields]]));
  await tx.run(
    `MATCH (d:Document {id: $id})
     CREATE (q:Entity:DocumentQuality {id: $qualityId}) SET q += $scores, q.assessed_at = $assessedAt
     CREATE (d)-[:HAS_QUALITY_REPORT]->(q)`,
    { id: document.id, qualityId: `quality:${document.id}`, scores, assessedAt: format.writeTime(quality.assessedAt) },
  );
}

/** A document with its chunks in order (their mentions as extracted entities named by the knowledge entity's id); chunks past its last are removed. */
export async function writeDocumentNodes(tx: ManagedTransaction, moved: MovedDocument, format: LegacyFormat): Promise<void> {
  await writeDocumentNode(tx, moved.document, moved.quality, format);
  await tx.run(
    `MATCH (d:Document {id: $id})
     CALL (d) { MATCH (d)-[r:HAS_CHUNK]->(old:Chunk) WHERE r.sequence >= $count DETACH DELETE old }
     WITH d
     UNWIND $chunks AS chunk
     MERGE (c:Entity:Chunk {id: chunk.id}) SET c.text = chunk.text
     MERGE (d)-[r:HAS_CHUNK]->(c) SET r.sequence = chunk.sequence
     WITH c, chunk
     UNWIND chunk.entityIds AS entityId
     MERGE (x:Entity:ExtractedEntity {id: 'extracted:' + entityId}) ON CREATE SET x.name = entityId
     MERGE (c)-[:MENTIONS]->(x)`,
    {
      id: moved.document.id,
      count: neo4j.int(moved.chunks.length),
      chunks: moved.chunks.map((chunk) => ({ id: `${moved.document.id}:chunk:${chunk.index}`, sequence: neo4j.int(chunk.index), text: chunk.text, entityIds: chunk.entityIds })),
    },
  );
}
