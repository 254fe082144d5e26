import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { layers, sqlList, timestamptz, userRoles } from './columns.js';
import { sessions } from './sessions.js';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // the JWT `sub`
    subject: text('subject').notNull().unique(),
    role: text('role', { enum: userRoles }).notNull(),
    patientId: text('patient_id'),
    displayName: text('display_name'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  () => [
    check('users_role_check', sql.raw(`role IN (${sqlList(userRoles)})`)),
    check('users_patient_check', sql.raw(`role <> 'patient' OR patient_id IS NOT NULL`)),
  ],
);

export const preferences = pgTable(
  'preferences',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: jsonb('value').notNull(),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

export const auditLogs = pgTable(
  'audit_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actor: text('actor').notNull(),
    actorRole: text('actor_role').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    oldValue: jsonb('old_value'),
    newValue: jsonb('new_value'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [index('audit_logs_entity_idx').on(t.entityType, t.entityId, t.createdAt), index('audit_logs_created_idx').on(t.createdAt)],
);

/** One row per GraphQL operation, from the gateway's `query.completed` events. */
export const queryAnalytics = pgTable(
  'query_analytics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // the event id: a redelivered event inserts nothing
    eventId: text('event_id').unique(),
    queryHash: text('query_hash').notNull(),
    operationName: text('operation_name'),
    queryText: text('query_text'),
    sessionId: text('session_id').references(() => sessions.id, { onDelete: 'set null' }),
    patientId: text('patient_id'),
    layersTraversed: text('layers_traversed').array().notNull().default(sql`'{}'::text[]`),
    latencyMs: doublePrecision('latency_ms'),
    resultCount: integer('result_count'),
    cacheHit: boolean('cache_hit').notNull().default(false),
    hasErrors: boolean('has_errors').notNull().default(false),
    subgraphs: text('subgraphs').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    check('query_analytics_latency_check', sql`${t.latencyMs} IS NULL OR ${t.latencyMs} >= 0`),
    check('query_analytics_layers_check', sql.raw(`layers_traversed <@ ARRAY[${sqlList(layers)}]::text[]`)),
    index('query_analytics_hash_idx').on(t.queryHash),
    index('query_analytics_created_idx').on(t.createdAt),
  ],
);
