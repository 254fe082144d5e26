import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, pgTable, smallint, text, unique, uuid } from 'drizzle-orm/pg-core';
import { feedbackTypes, layers, severities, sqlList, timestamptz } from './columns.js';
import { sessions } from './sessions.js';

export const feedback = pgTable(
  'feedback',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    responseId: text('response_id').notNull(),
    // legacy feedback may name a session that no longer exists: the backfill stores NULL then
    sessionId: text('session_id').references(() => sessions.id, { onDelete: 'set null' }),
    patientId: text('patient_id'),
    actor: text('actor'),
    queryText: text('query_text'),
    responseText: text('response_text'),
    rating: smallint('rating').notNull(),
    feedbackType: text('feedback_type', { enum: feedbackTypes }).notNull(),
    severity: text('severity', { enum: severities }),
    correction: text('correction'),
    entityIds: text('entity_ids').array().notNull().default(sql`'{}'::text[]`),
    layersTraversed: text('layers_traversed').array().notNull().default(sql`'{}'::text[]`),
    // finds answers to the same question for rating-gap preference pairs
    queryHash: text('query_hash').generatedAlwaysAs(sql`md5(lower(btrim(query_text)))`),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    check('feedback_rating_check', sql`${t.rating} BETWEEN 1 AND 5`),
    check('feedback_type_check', sql.raw(`feedback_type IN (${sqlList(feedbackTypes)})`)),
    check('feedback_severity_check', sql.raw(`severity IS NULL OR severity IN (${sqlList(severities)})`)),
    check('feedback_layers_check', sql.raw(`layers_traversed <@ ARRAY[${sqlList(layers)}]::text[]`)),
    index('feedback_created_idx').on(t.createdAt),
    index('feedback_rating_idx').on(t.rating),
    index('feedback_response_idx').on(t.responseId),
    index('feedback_session_idx').on(t.sessionId),
    index('feedback_patient_idx').on(t.patientId),
    index('feedback_query_hash_idx').on(t.queryHash).where(sql`${t.queryHash} IS NOT NULL`),
    index('feedback_layers_idx').using('gin', t.layersTraversed),
  ],
);

export type FeedbackRow = typeof feedback.$inferSelect;

export const pairSources = ['correction', 'rating_gap'] as const;

export const preferencePairs = pgTable(
  'preference_pairs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    prompt: text('prompt').notNull(),
    chosen: text('chosen').notNull(),
    rejected: text('rejected').notNull(),
    ratingGap: doublePrecision('rating_gap').notNull(),
    source: text('source', { enum: pairSources }).notNull(),
    // a correction pair has the same feedback on both sides
    chosenFeedbackId: text('chosen_feedback_id')
      .notNull()
      .references(() => feedback.id, { onDelete: 'cascade' }),
    rejectedFeedbackId: text('rejected_feedback_id')
      .notNull()
      .references(() => feedback.id, { onDelete: 'cascade' }),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    unique('preference_pairs_feedback_unique').on(t.chosenFeedbackId, t.rejectedFeedbackId),
    check('preference_pairs_gap_check', sql`${t.ratingGap} > 0 AND ${t.ratingGap} <= 4`),
    check('preference_pairs_source_check', sql.raw(`source IN (${sqlList(pairSources)})`)),
    index('preference_pairs_gap_idx').on(t.ratingGap, t.createdAt),
  ],
);
