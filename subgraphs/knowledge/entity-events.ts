import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { EventPayload } from '../../lib/event-contracts.js';
import { publish } from '../../lib/typed-events.js';
import type { EntityRecord } from './store/records.js';

type EntityUpserted = EventPayload<'entity.upserted'>;

/** Changes whenever name, type, layer, description or synonyms do, so the event id dedupes replays of one version. */
export function entityVersion(entity: { name: string; type: string; layer: string; description: string | null; synonyms?: readonly string[] }): string {
  const parts: unknown[] = [entity.name, entity.type, entity.layer, entity.description ?? ''];
  // an entity without synonyms keeps the version it had before synonyms existed
  if (entity.synonyms && entity.synonyms.length > 0) parts.push(entity.synonyms);
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return digest.slice(0, 16);
}

export type PublishEntities = (entities: readonly EntityRecord[]) => Promise<void>;

/** Publishes `entity.upserted` for each entity, after its change committed. */
export function createEntityPublisher(redis: Redis, streamPrefix: string): PublishEntities {
  return async (entities) => {
    for (const entity of entities) {
      // the record's type is its label upper-cased: the contract checks it is one of the entity types
      const payload = { id: entity.id, name: entity.name, type: entity.type, layer: entity.layer, description: entity.description, synonyms: entity.synonyms } as EntityUpserted;
      await publish(redis, streamPrefix, 'entity.upserted', `entity:${entity.id}:${entityVersion(entity)}`, payload);
    }
  };
}
