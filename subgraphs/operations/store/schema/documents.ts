import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { documentStatuses, sqlList, timestamptz } from './columns.js';

/** Largest document content accepted by ingestDocument (characters). */
export const maxDocumentLength = 1_000_000;

export const documents = pgTable(
  'documents',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    // the legacy Neo4j id of a backfilled document
    externalId: text('external_id'),
    filename: text('filename').notNull(),
    title: text('title'),
    source: text('source'),
    status: text('status', { enum: documentStatuses }).notNull().default('pending'),
    chunkCount: integer('chunk_count').notNull().default(0),
    ingestAttempt: integer('ingest_attempt').notNull().default(1),
    failureReason: text('failure_reason'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [
    check('documents_status_check', sql.raw(`status IN (${sqlList(documentStatuses)})`)),
    check('documents_filename_check', sql`length(btrim(${t.filename})) > 0`),
    check('documents_chunk_count_check', sql`${t.chunkCount} >= 0`),
    index('documents_status_idx').on(t.status, t.createdAt, t.id),
    index('documents_created_idx').on(t.createdAt, t.id),
    uniqueIndex('documents_external_id_idx').on(t.externalId).where(sql`${t.externalId} IS NOT NULL`),
  ],
);

const score = (name: string) => doublePrecision(name);
const scoreCheck = (column: string) => sql.raw(`${column} IS NULL OR (${column} >= 0 AND ${column} <= 1)`);

export const documentQuality = pgTable(
  'document_quality',
  {
    documentId: text('document_id')
      .primaryKey()
      .references(() => documents.id, { onDelete: 'cascade' }),
    informationDensity: score('information_density'),
    structuralClarity: score('structural_clarity'),
    entityCoherence: score('entity_coherence'),
    contextSufficiency: score('context_sufficiency'),
    contextualRelevancy: score('contextual_relevancy'),
    compositeScore: score('composite_score'),
    assessedAt: timestamptz('assessed_at').notNull().default(sql`now()`),
  },
  (t) => [
    index('document_quality_composite_idx').on(t.compositeScore),
    check('document_quality_density_check', scoreCheck('information_density')),
    check('document_quality_clarity_check', scoreCheck('structural_clarity')),
    check('document_quality_coherence_check', scoreCheck('entity_coherence')),
    check('document_quality_sufficiency_check', scoreCheck('context_sufficiency')),
    check('document_quality_relevancy_check', scoreCheck('contextual_relevancy')),
    check('document_quality_composite_check', scoreCheck('composite_score')),
  ],
);
