import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { consumerGroups, type EventPayload } from '../../../lib/event-contracts.js';
import type { Consumer } from '../../../lib/events.js';
import type { Logger } from '../../../lib/logger.js';
import type { MetricsTarget } from '../../../lib/store-metrics.js';
import { consume } from '../../../lib/typed-events.js';
import type { Embedder } from '../embedder/embedder.js';
import type { EntityStore } from '../store/entity-store.js';

export type EntityUpserted = EventPayload<'entity.upserted'>;

export interface EntitySyncDependencies {
  entities: EntityStore;
  embedder: Embedder;
  ensureCollections: () => Promise<void>;
}

/**
 * Embeds one entity (name, type, synonyms, description) into `entity_embeddings`, keyed by its id. An
 * event whose embedded text and attributes are already stored (a replay) changes nothing.
 */
export async function syncEntity(deps: EntitySyncDependencies, entity: EntityUpserted): Promise<'stored' | 'unchanged'> {
  await deps.ensureCollections();
  const description = entity.description ?? null;
  const synonyms = entity.synonyms ?? [];
  const aliases = synonyms.length > 0 ? `; also ${synonyms.join(', ')}` : '';
  const text = `${entity.name} (${entity.type.toLowerCase()}${aliases})${description ? `: ${description}` : ''}`;
  const hash = createHash('sha256').update(`${deps.embedder.model}\n${entity.layer}\n${text}`).digest('hex');
  const [existing] = await deps.entities.retrieve([entity.id]);
  if (existing?.payload.content_hash === hash) return 'unchanged';
  const [vector] = await deps.embedder.embed([text]);
  if (!vector) throw new Error(`The embedder returned no vector for entity ${entity.id}`);
  await deps.entities.upsert(
    { entity_id: entity.id, name: entity.name, type: entity.type, layer: entity.layer, description, synonyms, content_hash: hash, updated_at: new Date().toISOString() },
    vector,
  );
  return 'stored';
}

/** Keeps `entity_embeddings` in step with the knowledge graph, incrementally, from `entity.upserted`. */
export function startEntitySync(options: { redis: Redis; streamPrefix: string; consumer: string; deps: EntitySyncDependencies; logger: Logger; blockMs?: number; metrics?: MetricsTarget }): Promise<Consumer> {
  const { logger } = options;
  return consume(options.redis, {
    prefix: options.streamPrefix,
    stream: 'entities',
    group: consumerGroups.searchEntities,
    consumer: options.consumer,
    logger,
    ...(options.blockMs !== undefined ? { blockMs: options.blockMs } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    handle: async (event) => {
      const outcome = await syncEntity(options.deps, event.payload);
      logger.debug({ eventId: event.id, entityId: event.payload.id, outcome }, 'entity synced');
    },
  });
}
