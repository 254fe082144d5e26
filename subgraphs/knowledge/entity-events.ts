import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { publishEvent } from '../../lib/events.js';
import type { EntityRecord } from './store/records.js';

/** Payload of `entity.upserted` (docs/federation-contract.md): type and layer in contract spelling. */
export interface EntityUpsertedPayload {
  id: string;
  name: string;
  type: string;
  layer: string;
  description: string | null;
}

/** Changes whenever name, type, layer or description does, so the event id dedupes replays of one version. */
export function entityVersion(entity: EntityUpsertedPayload): string {
  const digest = createHash('sha256').update(JSON.stringify([entity.name, entity.type, entity.layer, entity.description ?? ''])).digest('hex');
  return digest.slice(0, 16);
}

export type PublishEntities = (entities: readonly EntityRecord[]) => Promise<void>;

/** Publishes `entity.upserted` on `<prefix>:entities` for each entity, after its change committed. */
export function createEntityPublisher(redis: Redis, streamPrefix: string): PublishEntities {
  const stream = `${streamPrefix}:entities`;
  return async (entities) => {
    for (const entity of entities) {
      const payload: EntityUpsertedPayload = { id: entity.id, name: entity.name, type: entity.type, layer: entity.layer, description: entity.description };
      await publishEvent(redis, stream, { id: `entity:${entity.id}:${entityVersion(payload)}`, type: 'entity.upserted', payload });
    }
  };
}
