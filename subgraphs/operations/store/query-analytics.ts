import type { Executor } from './db.js';
import { queryAnalytics } from './schema/index.js';

export interface QueryAnalyticsEntry {
  eventId: string;
  queryHash: string;
  operationName: string | null;
  latencyMs: number;
  cacheHit: boolean;
  hasErrors: boolean;
  subgraphs: string[];
  patientId: string | null;
}

/** Idempotent by event id: returns false for a redelivered event. */
export async function insertQueryAnalytics(db: Executor, entry: QueryAnalyticsEntry): Promise<boolean> {
  const inserted = await db.insert(queryAnalytics).values(entry).onConflictDoNothing({ target: queryAnalytics.eventId }).returning({ id: queryAnalytics.id });
  return inserted.length > 0;
}
