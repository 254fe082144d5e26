import { badInput } from '../../../lib/errors.js';
import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { SearchContext } from '../context.js';
import type { ChunkPoint, ScoredChunk } from '../store/chunk-store.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isPointId = (id: string): boolean => uuid.test(id);

export const chunkResolvers = {
  Chunk: {
    __resolveReference(reference: { id: string }, context: SearchContext): Promise<ChunkPoint | null> {
      authorize(context.viewer, 'document.read');
      if (!isPointId(reference.id)) throw badInput(`Chunk id ${reference.id} is not a chunk id (a UUID)`, 'representations');
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
} satisfies Resolvers<SearchContext>;
