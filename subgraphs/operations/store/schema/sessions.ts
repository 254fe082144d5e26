import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { messageRoles, sessionStatuses, sqlList, timestamptz } from './columns.js';

/** Longest message content accepted (characters); the store refuses longer with BAD_USER_INPUT. */
export const maxMessageLength = 32_000;
export const maxTitleLength = 200;

export const sessions = pgTable(
  'sessions',
  {
    // text, not uuid: legacy ids (`session:<uuid4>`, `session:<12 hex>`) are kept as they are
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    patientId: text('patient_id').notNull(),
    title: text('title'),
    status: text('status', { enum: sessionStatuses }).notNull().default('active'),
    device: text('device'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    lastActivity: timestamptz('last_activity').notNull().default(sql`now()`),
    endedAt: timestamptz('ended_at'),
    messageCount: integer('message_count').notNull().default(0),
  },
  (t) => [
    check('sessions_status_check', sql.raw(`status IN (${sqlList(sessionStatuses)})`)),
    check('sessions_title_check', sql`${t.title} IS NULL OR (length(btrim(${t.title})) > 0 AND length(${t.title}) <= ${sql.raw(String(maxTitleLength))})`),
    check('sessions_message_count_check', sql`${t.messageCount} >= 0`),
    check('sessions_ended_check', sql`${t.endedAt} IS NULL OR ${t.endedAt} >= ${t.createdAt}`),
    index('sessions_patient_activity_idx').on(t.patientId, t.lastActivity, t.id),
    index('sessions_active_idx').on(t.patientId).where(sql`${t.status} = 'active'`),
    index('sessions_last_activity_idx').on(t.lastActivity),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    // denormalised from the session so authorization and search filter without a join
    patientId: text('patient_id').notNull(),
    role: text('role', { enum: messageRoles }).notNull(),
    content: text('content').notNull(),
    responseId: text('response_id'),
    confidence: doublePrecision('confidence'),
    queryTimeSeconds: doublePrecision('query_time_seconds'),
    sources: jsonb('sources').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    reasoningTrail: jsonb('reasoning_trail').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    relatedConcepts: text('related_concepts').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    check('messages_role_check', sql.raw(`role IN (${sqlList(messageRoles)})`)),
    check('messages_content_check', sql`length(${t.content}) > 0 AND length(${t.content}) <= ${sql.raw(String(maxMessageLength))}`),
    check('messages_confidence_check', sql`${t.confidence} IS NULL OR (${t.confidence} >= 0 AND ${t.confidence} <= 1)`),
    // also serves lookups by session alone (its leading column): no index of its own for them
    index('messages_session_created_idx').on(t.sessionId, t.createdAt, t.id),
    index('messages_patient_created_idx').on(t.patientId, t.createdAt),
    index('messages_response_idx').on(t.responseId).where(sql`${t.responseId} IS NOT NULL`),
  ],
);
