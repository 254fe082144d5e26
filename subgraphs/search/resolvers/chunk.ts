import { requireViewer } from '../../../lib/auth.js';
import type { SearchContext } from '../context.js';
import type { ChunkPoint, ScoredChunk } from '../store/chunk-store.js';

export const chunkResolvers = {
  Chunk: {
    __resolveReference(reference: { id: string }, context: SearchContext): Promise<ChunkPoint | null> {
      requireViewer(context.viewer);
      return context.services.ensureCollections().then(() => context.loaders.chunkById.load(reference.id));
    },
    id: (chunk: ChunkPoint) => chunk.id,
    index: (chunk: ChunkPoint) => chunk.payload.chunk_index,
    text: (chunk: ChunkPoint) => chunk.payload.chunk_text,
    document: (chunk: ChunkPoint) => ({ __typename: 'Document', id: chunk.payload.document_id }),
  },
  SearchHit: {
    score: (hit: ScoredChunk) => hit.score,
    chunk: (hit: ScoredChunk) => hit.point,
    entities: (hit: ScoredChunk) => (hit.point.payload.entity_ids ?? []).map((id) => ({ __typename: 'MedicalEntity', id })),
  },
};
