import type { Redis } from 'ioredis';
import { Gauge } from 'prom-client';
import type { Logger } from '../../../lib/logger.js';
import type { MetricsTarget } from '../../../lib/store-metrics.js';
import { publishDefined, type OutgoingEvent } from '../../../lib/typed-events.js';
import { outboxBacklog, publishPendingEvents, type Database, type OutboxRow } from '../store/index.js';

/** Publishes one outbox row: an event checked against its contract when it was written. */
function publishOutboxRow(redis: Redis) {
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

/**
 * `<service>_outbox_pending_events` and `<service>_outbox_oldest_pending_seconds`: what the outbox
 * still has to publish, read at each scrape (absent while PostgreSQL does not answer).
 */
export function watchOutboxBacklog(target: MetricsTarget, db: Database, streamPrefix: string): void {
  let reading: Promise<{ pending: number; oldestAgeSeconds: number } | undefined> | undefined;
  // both gauges of one scrape share one query
  const backlog = () => (reading ??= outboxBacklog(db, streamPrefix).catch(() => undefined).finally(() => setImmediate(() => (reading = undefined))));
  const gauges = [
    { name: 'outbox_pending_events', help: 'Outbox events committed and not yet published to their Redis stream', read: 'pending' },
    { name: 'outbox_oldest_pending_seconds', help: 'Age of the oldest outbox event not yet published (0 when none): the publishing lag', read: 'oldestAgeSeconds' },
  ] as const;
  for (const { name, help, read } of gauges) {
    new Gauge({
      name: `${target.prefix}_${name}`,
      help,
      registers: [target.registry],
      async collect() {
        const value = await backlog();
        if (value) this.set(value[read]);
        else this.reset();
      },
    });
  }
}
