import type { Embedder } from '../embedder/embedder.js';
import type { ChunkStore } from '../store/chunk-store.js';
import type { EntityStore } from '../store/entity-store.js';
import { chunkMarkdown, type ChunkOptions } from './chunker.js';
import { embedChunks, replaceDocumentChunks, toChunkPoints, type PreparedChunk } from './chunk-points.js';
import { createEntityLinker, dictionaryOf } from './entity-linker.js';
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

  const linker = createEntityLinker(dictionaryOf(await deps.entities.listAll()));
  const prepared: PreparedChunk[] = textChunks.map((chunk) => ({ index: chunk.index, text: chunk.text, headings: chunk.headings, entities: linker.link(chunk.text) }));
  const embedded = await embedChunks(deps, documentId, request.title, prepared);
  const target = deps.chunking?.targetChars ?? 900;
  const quality = computeQuality(content, prepared.map((chunk, index) => ({ text: chunk.text, entityIds: chunk.entities.map((entity) => entity.id), vector: embedded.vectors[index] ?? [] })), target);
  const points = toChunkPoints(documentId, embedded, quality.compositeScore, new Date().toISOString());
  await replaceDocumentChunks(deps.chunks, documentId, points);
  return { chunkCount: points.length, quality };
}

function validateRequest(request: IngestRequestedPayload): { documentId: string; content: string } {
  const documentId = typeof request?.documentId === 'string' ? request.documentId.trim() : '';
  if (!documentId || documentId.length > 200) throw new IngestInputError('The ingest request has no valid documentId');
  if (typeof request.content !== 'string' || request.content.trim() === '') throw new IngestInputError(`Document ${documentId} has no text to index`);
  if (request.content.length > maxDocumentChars) throw new IngestInputError(`Document ${documentId} has ${request.content.length} characters; at most ${maxDocumentChars} are accepted`);
  return { documentId, content: request.content };
}
