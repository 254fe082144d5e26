import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.js';

/**
 * Transactional outbox: an event is written in the same transaction as its cause and
 * published to its Redis stream after commit; rows still unpublished (Redis down, crash)
 * are published again by the relay. Event ids make the rare double publish harmless.
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull().unique(),
    stream: text('stream').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    publishedAt: timestamptz('published_at'),
  },
  (t) => [index('outbox_events_unpublished_idx').on(t.id).where(sql`${t.publishedAt} IS NULL`)],
);

/** Ids of consumed events, written in the same transaction as their effect: a replay changes nothing. */
export const processedEvents = pgTable('processed_events', {
  eventId: text('event_id').primaryKey(),
  processedAt: timestamptz('processed_at').notNull().default(sql`now()`),
});
