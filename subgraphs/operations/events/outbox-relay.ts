import type { Redis } from 'ioredis';
import type { Logger } from '../../../lib/logger.js';
import { publishDefined, type OutgoingEvent } from '../../../lib/typed-events.js';
import { publishPendingEvents, type Database, type OutboxRow } from '../store/index.js';

/** Publishes one outbox row: an event checked against its contract when it was written. */
export function publishOutboxRow(redis: Redis) {
  return async (row: OutboxRow): Promise<void> => {
    await publishDefined(redis, { eventId: row.eventId, stream: row.stream, type: row.type as OutgoingEvent['type'], payload: row.payload });
  };
}

/** Publishes whatever the outbox still holds for our streams every `intervalMs` (Redis was down, a process died). */
export function startOutboxRelay(db: Database, redis: Redis, streamPrefix: string, logger: Logger, intervalMs: number): () => void {
  const timer = setInterval(() => {
    publishPendingEvents(db, publishOutboxRow(redis), { streamPrefix })
      .then((published) => published > 0 && logger.info({ published }, 'outbox relay published pending events'))
      .catch((error: unknown) => logger.warn({ err: error }, 'outbox relay failed; will retry'));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
