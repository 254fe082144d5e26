import { createHash } from 'node:crypto';
import type { Embedder } from '../embedder/embedder.js';
import { chunkPointId } from '../point-id.js';
import type { ChunkPoint, ChunkStore } from '../store/chunk-store.js';
import type { EntityStore } from '../store/entity-store.js';
import { chunkMarkdown, type ChunkOptions, type TextChunk } from './chunker.js';
import { createEntityLinker, type DictionaryEntity } from './entity-linker.js';
import type { IngestRequestedPayload } from './events.js';
import { computeQuality, type DocumentQuality } from './quality.js';

export interface IngestDependencies {
  chunks: ChunkStore;
  entities: EntityStore;
  embedder: Embedder;
  ensureCollections: () => Promise<void>;
  chunking?: ChunkOptions;
}

/** A document that cannot be ingested as sent: reported as the failure reason, nothing written. */
export class IngestInputError extends Error {
  override name = 'IngestInputError';
}

/** Largest document accepted, in characters (about 2 MB of text). */
export const maxDocumentChars = 2_000_000;
const layerOrder = ['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION'];

/**
 * Chunks, links, embeds and upserts one document, then removes chunks a previous, longer
 * version left. Re-running it is safe: ids are deterministic and chunks whose embedded text
 * is unchanged keep their stored vector, so a retry after a failure resumes where it stopped.
 */
export async function ingestDocument(deps: IngestDependencies, request: IngestRequestedPayload): Promise<{ chunkCount: number; quality: DocumentQuality }> {
  const { documentId, content } = validateRequest(request);
  const textChunks = chunkMarkdown(content, deps.chunking);
  if (textChunks.length === 0) throw new IngestInputError(`Document ${documentId} has no text to index`);
  await deps.ensureCollections();

  const linker = createEntityLinker((await deps.entities.listAll()).map((entity) => ({ id: entity.entity_id, name: entity.name, type: entity.type, layer: entity.layer })));
  const prepared = textChunks.map((chunk) => {
    const embedText = buildEmbedText(request.title, chunk);
    return { chunk, embedText, hash: hashText(deps.embedder.model, embedText), entities: linker.link(chunk.text) };
  });

  const ids = prepared.map((item) => chunkPointId(documentId, item.chunk.index));
  const stored = new Map((await deps.chunks.retrieve(ids, true)).map((point) => [point.id, point]));
  const reusable = prepared.map((item, index) => {
    const previous = stored.get(ids[index] as string);
    return previous?.payload.content_hash === item.hash ? previous.vector : undefined;
  });
  const toEmbed = prepared.filter((_, index) => !reusable[index]);
  const fresh = await deps.embedder.embed(toEmbed.map((item) => item.embedText));
  let next = 0;
  const vectors = reusable.map((vector) => vector ?? (fresh[next++] as number[]));

  const target = deps.chunking?.targetChars ?? 900;
  const quality = computeQuality(content, prepared.map((item, index) => ({ text: item.chunk.text, entityIds: item.entities.map((entity) => entity.id), vector: vectors[index] ?? [] })), target);
  const createdAt = new Date().toISOString();
  const points: ChunkPoint[] = prepared.map((item, index) => ({
    id: ids[index] as string,
    vector: vectors[index] as number[],
    payload: {
      document_id: documentId,
      chunk_index: item.chunk.index,
      chunk_text: item.chunk.text,
      headings: item.chunk.headings,
      layer: pickLayer(item.entities),
      quality_score: quality.compositeScore,
      entity_ids: item.entities.map((entity) => entity.id),
      entity_types: [...new Set(item.entities.map((entity) => entity.type))],
      content_hash: item.hash,
      created_at: createdAt,
    },
  }));
  await deps.chunks.upsert(points);
  await deps.chunks.deleteFrom(documentId, points.length);
  return { chunkCount: points.length, quality };
}

function validateRequest(request: IngestRequestedPayload): { documentId: string; content: string } {
  const documentId = typeof request?.documentId === 'string' ? request.documentId.trim() : '';
  if (!documentId || documentId.length > 200) throw new IngestInputError('The ingest request has no valid documentId');
  if (typeof request.content !== 'string' || request.content.trim() === '') throw new IngestInputError(`Document ${documentId} has no text to index`);
  if (request.content.length > maxDocumentChars) throw new IngestInputError(`Document ${documentId} has ${request.content.length} characters; at most ${maxDocumentChars} are accepted`);
  return { documentId, content: request.content };
}

/** The title and heading path go in front of the text: chunks of templated documents differ mostly there. */
function buildEmbedText(title: string | null, chunk: TextChunk): string {
  const context = [...new Set([title, ...chunk.headings].filter((part): part is string => Boolean(part?.trim())))];
  return context.length > 0 ? `${context.join(' > ')}\n${chunk.text}` : chunk.text;
}

const hashText = (model: string, text: string): string => createHash('sha256').update(`${model}\n${text}`).digest('hex');

/** The layer most of the chunk's entities sit in (the higher layer on a tie); PERCEPTION (raw text) without entities. */
function pickLayer(entities: readonly DictionaryEntity[]): string {
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
