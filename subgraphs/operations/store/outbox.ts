import { and, asc, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import type { OutgoingEvent } from '../../../lib/typed-events.js';
import type { Database, Executor } from './db.js';
import { outboxEvents } from './schema/index.js';

/** An event checked against its contract (lib/typed-events defines them). */
export type OutboxEvent = OutgoingEvent;

export type OutboxRow = typeof outboxEvents.$inferSelect;

/** Rows not yet published, of the streams named `<streamPrefix>:...`. */
function unpublishedOf(streamPrefix: string) {
  return and(isNull(outboxEvents.publishedAt), like(outboxEvents.stream, `${streamPrefix.replace(/[\\%_]/g, '\\$&')}:%`));
}

/** Call inside the transaction of the change the event announces. */
export async function enqueueEvent(tx: Executor, event: OutboxEvent): Promise<void> {
  await tx.insert(outboxEvents).values(event).onConflictDoNothing({ target: outboxEvents.eventId });
}

export interface PublishPendingOptions {
  /** Only events of streams named `<streamPrefix>:...`: deployments (and tests) sharing a database relay their own. */
  streamPrefix: string;
  /** Rows per call; default 100. */
  limit?: number;
}

/**
 * Publishes pending events in order and marks them published. Rows are locked with SKIP
 * LOCKED, so two relays never publish the same row at once. Stops at the first failure
 * (recorded on the row) so a later retry keeps the order; returns how many were published.
 */
export async function publishPendingEvents(
  db: Database,
  publish: (row: OutboxRow) => Promise<void>,
  options: PublishPendingOptions,
): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(outboxEvents)
      .where(unpublishedOf(options.streamPrefix))
      .orderBy(asc(outboxEvents.id))
      .limit(options.limit ?? 100)
      .for('update', { skipLocked: true });
    let published = 0;
    for (const row of rows) {
      try {
        await publish(row);
      } catch (error) {
        await tx
          .update(outboxEvents)
          .set({ attempts: sql`${outboxEvents.attempts} + 1`, lastError: String((error as Error).message ?? error) })
          .where(eq(outboxEvents.id, row.id));
        break;
      }
      await tx.update(outboxEvents).set({ publishedAt: sql`now()`, attempts: sql`${outboxEvents.attempts} + 1` }).where(eq(outboxEvents.id, row.id));
      published += 1;
    }
    return published;
  });
}

/** Marks events published (their publisher sent them itself right after their commit). */
export async function markPublished(db: Database, eventIds: readonly string[]): Promise<void> {
  await db
    .update(outboxEvents)
    .set({ publishedAt: sql`now()`, attempts: sql`${outboxEvents.attempts} + 1` })
    .where(and(inArray(outboxEvents.eventId, [...eventIds]), isNull(outboxEvents.publishedAt)));
}

/** The events of our streams still waiting to be published, and the age of the oldest (0 when none). */
export async function outboxBacklog(db: Database, streamPrefix: string): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const [row] = await db
    .select({
      pending: sql<number>`count(*)::int`,
      oldestAgeSeconds: sql<number>`coalesce(extract(epoch from now() - min(${outboxEvents.createdAt})), 0)::float8`,
    })
    .from(outboxEvents)
    .where(unpublishedOf(streamPrefix));
  return { pending: row?.pending ?? 0, oldestAgeSeconds: row?.oldestAgeSeconds ?? 0 };
}
