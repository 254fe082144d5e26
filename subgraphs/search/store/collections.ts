import type { QdrantClient } from '@qdrant/js-client-rest';
import { AppError } from '../../../lib/errors.js';
import { callQdrant, type CollectionNames } from './qdrant.js';
import { chunkCollectionConfig, upgradeChunkCollection } from './chunk-collection-upgrade.js';

type IndexSchema = 'keyword' | 'integer' | 'float' | 'datetime';

/** Payload fields that filters, range deletes and ordering use. */
const payloadIndexes: Record<keyof CollectionNames, Record<string, IndexSchema>> = {
  chunks: {
    document_id: 'keyword',
    chunk_index: 'integer',
    layer: 'keyword',
    quality_score: 'float',
    template_key: 'keyword',
    entity_ids: 'keyword',
    entity_types: 'keyword',
    created_at: 'datetime',
  },
  entities: { entity_id: 'keyword', type: 'keyword', layer: 'keyword' },
  queries: { model: 'keyword', last_embedded_at: 'datetime' },
};

export class DimensionMismatchError extends AppError {
  constructor(collection: string, existing: number, wanted: number, model: string) {
    super(
      'UNAVAILABLE',
      `Collection "${collection}" holds ${existing}-dimensional vectors but the embedder "${model}" makes ${wanted}-dimensional ones. ` +
        'Refusing to mix vector spaces: switch back to the embedder the collection was built with, or re-index into new collections ' +
        '(a different QDRANT_COLLECTION_PREFIX) with this one.',
      { collection, existing, wanted },
    );
    this.name = 'DimensionMismatchError';
  }
}

/**
 * Creates the three collections (cosine distance, sized from the embedder; chunks also with their
 * lexical sparse vector) and their payload indexes if missing; idempotent, and safe when two
 * processes race. An existing collection of another vector size throws DimensionMismatchError;
 * a chunk collection from before lexical search is upgraded (store/chunk-collection-upgrade.ts).
 * Returns whether the chunk collection was made anew or upgraded (its points then changed).
 */
export async function ensureCollections(client: QdrantClient, names: CollectionNames, dimension: number, model: string, log: (line: string) => void = () => undefined): Promise<boolean> {
  let chunksChanged = false;
  for (const [role, name] of Object.entries(names) as [keyof CollectionNames, string][]) {
    const { exists } = await callQdrant(() => client.collectionExists(name));
    if (!exists) {
      if (role === 'chunks') chunksChanged = true;
      const config = role === 'chunks' ? chunkCollectionConfig(dimension) : { vectors: { size: dimension, distance: 'Cosine' as const } };
      await callQdrant(() => client.createCollection(name, config)).catch(async (error: unknown) => {
        if (!(await callQdrant(() => client.collectionExists(name))).exists) throw error;
      });
    }
    const existing = await readVectorSize(client, name);
    if (existing !== dimension) throw new DimensionMismatchError(name, existing, dimension, model);
    if (role === 'chunks' && (await upgradeChunkCollection(client, name, dimension, log))) chunksChanged = true;
    for (const [field, schema] of Object.entries(payloadIndexes[role])) {
      await callQdrant(() => client.createPayloadIndex(name, { field_name: field, field_schema: schema, wait: true }));
    }
  }
  return chunksChanged;
}

async function readVectorSize(client: QdrantClient, name: string): Promise<number> {
  const info = await callQdrant(() => client.getCollection(name));
  const vectors = info.config.params.vectors;
  const size = vectors && typeof vectors === 'object' && 'size' in vectors ? vectors.size : undefined;
  if (typeof size !== 'number') throw new Error(`Collection "${name}" has no single unnamed vector; it was not made by this service`);
  return size;
}

/**
 * Remembers a successful `ensureCollections`: a Qdrant outage at start-up does not stop the
 * service (search fields report it until Qdrant is back), a dimension mismatch always does.
 */
export function createCollectionGuard(ensure: () => Promise<unknown>): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () => {
    ready ??= ensure().then(() => undefined, (error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
}
