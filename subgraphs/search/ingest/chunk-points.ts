import { createHash } from 'node:crypto';
import type { Embedder } from '../embedder/embedder.js';
import { chunkPointId } from '../point-id.js';
import type { ChunkPoint, ChunkStore } from '../store/chunk-store.js';
import type { DictionaryEntity } from './entity-linker.js';
import { chunkContextOf, withLexical } from '../lexical/chunk-lexical.js';

/**
 * A document's chunks as `document_chunks` points: what is embedded (the title and heading path
 * in front of the text), vectors reused where the embedded text is unchanged, the payload, and
 * the replacement of a document's points. Ingestion and the legacy backfill both write so.
 */

export interface PreparedChunk {
  index: number;
  text: string;
  headings: string[];
  entities: Pick<DictionaryEntity, 'id' | 'type' | 'layer'>[];
}

const layerOrder = ['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION'];

/** The title and heading path go in front of the text: chunks of templated documents differ mostly there. */
function embedTextOf(title: string | null, chunk: PreparedChunk): string {
  const context = chunkContextOf(title, chunk.headings);
  return context.length > 0 ? `${context.join(' > ')}\n${chunk.text}` : chunk.text;
}

const hashText = (model: string, text: string): string => createHash('sha256').update(`${model}\n${text}`).digest('hex');

/** The layer most of the chunk's entities sit in (the higher layer on a tie); PERCEPTION (raw text) without entities. */
function pickLayer(entities: PreparedChunk['entities']): string {
  const counts = new Map<string, number>();
  for (const entity of entities) counts.set(entity.layer, (counts.get(entity.layer) ?? 0) + 1);
  let best = 'PERCEPTION';
  let bestCount = 0;
  for (const layer of layerOrder) {
    const count = counts.get(layer) ?? 0;
    if (count > 0 && count >= bestCount) [best, bestCount] = [layer, count];
  }
  return best;
}

export interface EmbeddedChunks {
  title: string | null;
  chunks: readonly PreparedChunk[];
  vectors: number[][];
  hashes: string[];
}

/** Embeds what changed since the points were last written (a retry resumes where it stopped). */
export async function embedChunks(deps: { chunks: ChunkStore; embedder: Embedder }, documentId: string, title: string | null, chunks: readonly PreparedChunk[]): Promise<EmbeddedChunks> {
  const texts = chunks.map((chunk) => embedTextOf(title, chunk));
  const hashes = texts.map((text) => hashText(deps.embedder.model, text));
  const ids = chunks.map((chunk) => chunkPointId(documentId, chunk.index));
  const stored = new Map((await deps.chunks.retrieve(ids, true)).map((point) => [point.id, point]));
  const reusable = ids.map((id, position) => {
    const previous = stored.get(id);
    return previous && previous.payload.content_hash === hashes[position] ? previous.vector : undefined;
  });
  const fresh = await deps.embedder.embed(texts.filter((_, position) => !reusable[position]));
  let next = 0;
  return { title, chunks, hashes, vectors: reusable.map((vector) => vector ?? (fresh[next++] as number[])) };
}

/** `qualityScore` null: the document was never assessed (a legacy document without a quality report). */
export function toChunkPoints(documentId: string, embedded: EmbeddedChunks, qualityScore: number | null, createdAt: string): ChunkPoint[] {
  return embedded.chunks.map((chunk, position) => withLexical({
    id: chunkPointId(documentId, chunk.index),
    vector: embedded.vectors[position] as number[],
    payload: {
      document_title: embedded.title,
      document_id: documentId,
      chunk_index: chunk.index,
      chunk_text: chunk.text,
      headings: chunk.headings,
      layer: pickLayer(chunk.entities),
      quality_score: qualityScore,
      entity_ids: chunk.entities.map((entity) => entity.id),
      entity_types: [...new Set(chunk.entities.map((entity) => entity.type))],
      content_hash: embedded.hashes[position] as string,
      created_at: createdAt,
    },
  }));
}

/**
 * Writes a document's points, removes those a previous, longer version left (indexes from 0 up,
 * in order), and recounts the template keys it had and has.
 */
export async function replaceDocumentChunks(chunks: ChunkStore, documentId: string, points: readonly ChunkPoint[]): Promise<void> {
  const before = await chunks.forDocuments([documentId]);
  await chunks.upsert(points);
  await chunks.deleteFrom(documentId, points.length);
  await chunks.refreshTemplateRepeats([...before, ...points]);
}
