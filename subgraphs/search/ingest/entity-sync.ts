import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { startConsumer, type Consumer } from '../../../lib/events.js';
import type { Logger } from '../../../lib/logger.js';
import type { Embedder } from '../embedder/embedder.js';
import type { EntityStore } from '../store/entity-store.js';

const entityTypes = ['DISEASE', 'TREATMENT', 'SYMPTOM', 'TEST', 'DRUG', 'GENE', 'PATHWAY', 'ORGANIZATION', 'STUDY'] as const;
const layers = ['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION'] as const;

/** `entity.upserted` as the knowledge subgraph publishes it (docs/federation-contract.md). */
export const entityUpsertedSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  type: z.enum(entityTypes),
  layer: z.enum(layers),
  description: z.string().nullish(),
});

export type EntityUpserted = z.infer<typeof entityUpsertedSchema>;

export interface EntitySyncDependencies {
  entities: EntityStore;
  embedder: Embedder;
  ensureCollections: () => Promise<void>;
}

/**
 * Embeds one entity (name, type, description) into `entity_embeddings`, keyed by its id. An
 * event whose embedded text and attributes are already stored (a replay) changes nothing.
 */
export async function syncEntity(deps: EntitySyncDependencies, entity: EntityUpserted): Promise<'stored' | 'unchanged'> {
  await deps.ensureCollections();
  const description = entity.description ?? null;
  const text = `${entity.name} (${entity.type.toLowerCase()})${description ? `: ${description}` : ''}`;
  const hash = createHash('sha256').update(`${deps.embedder.model}\n${entity.layer}\n${text}`).digest('hex');
  const [existing] = await deps.entities.retrieve([entity.id]);
  if (existing?.payload.content_hash === hash) return 'unchanged';
  const [vector] = await deps.embedder.embed([text]);
  if (!vector) throw new Error(`The embedder returned no vector for entity ${entity.id}`);
  await deps.entities.upsert(
    { entity_id: entity.id, name: entity.name, type: entity.type, layer: entity.layer, description, content_hash: hash, updated_at: new Date().toISOString() },
    vector,
  );
  return 'stored';
}

/** Keeps `entity_embeddings` in step with the knowledge graph, incrementally, from `entity.upserted`. */
export function startEntitySync(options: { redis: Redis; stream: string; consumer: string; deps: EntitySyncDependencies; logger: Logger; blockMs?: number }): Promise<Consumer> {
  const { logger } = options;
  return startConsumer<unknown>(options.redis, {
    stream: options.stream,
    group: 'search-entities',
    consumer: options.consumer,
    logger,
    ...(options.blockMs !== undefined ? { blockMs: options.blockMs } : {}),
    handle: async (event) => {
      if (event.type !== 'entity.upserted') return;
      const parsed = entityUpsertedSchema.safeParse(event.payload);
      if (!parsed.success) {
        logger.error({ eventId: event.id, issues: parsed.error.issues }, 'malformed entity.upserted skipped');
        return;
      }
      const outcome = await syncEntity(options.deps, parsed.data);
      logger.debug({ eventId: event.id, entityId: parsed.data.id, outcome }, 'entity synced');
    },
  });
}
