import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../subgraphs/operations/store/index.js';
import { beginBackfill, commitBatch, finishBackfill, readBackfill, type BackfillRow } from '../store/backfill-store.js';
import type { BackfillDomain } from './backfill-domain.js';
import { describeFailure } from '../postgres-errors.js';
import { LatencyThrottle } from './throttle.js';

/**
 * Runs one domain's backfill in batches: each batch and the checkpoint after it commit in one
 * PostgreSQL transaction, so a run killed at any moment resumes after its last batch, and a
 * rerun changes nothing. Between batches it pauses while a store is slower than usual.
 */

export interface BackfillProgress {
  domain: string;
  read: number;
  moved: number;
  unchanged: number;
  reported: number;
  /** Legacy records to read in all (counted when the run began). */
  total: number;
  elapsedMs: number;
  /** Time spent pausing for the stores' sake. */
  pausedMs: number;
}

export interface BackfillOptions {
  batchSize: number;
  /** Start over from the first legacy record, with a fresh report. */
  restart: boolean;
  onProgress?: (progress: BackfillProgress) => void;
  throttle?: LatencyThrottle;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runBackfill<Page>(db: Database, source: BackfillDomain<Page>, options: BackfillOptions): Promise<BackfillRow> {
  const started = Date.now();
  const runId = randomUUID();
  const throttle = options.throttle ?? new LatencyThrottle();
  const begun = await beginBackfill(db, source.domain, { runId, batchSize: options.batchSize, restart: options.restart, total: await source.countLegacy() });
  const progress: BackfillProgress = { domain: source.domain, read: begun.read, moved: begun.moved, unchanged: begun.unchanged, reported: begun.reported, total: begun.total ?? 0, elapsedMs: 0, pausedMs: 0 };
  let after = begun.checkpoint;
  try {
    // the next page is read from legacy while this one is written to PostgreSQL
    const timedRead = async (from: string | null) => {
      const readStarted = Date.now();
      const page = await source.readPage(from, options.batchSize);
      return { page, legacyMs: Date.now() - readStarted };
    };
    let reading = timedRead(after);
    for (;;) {
      const { page: next, legacyMs } = await reading;
      if (!next) break;
      reading = timedRead(next.lastKey);
      // a failed read ahead is reported by the loop's next await, not as an unhandled rejection
      reading.catch(() => undefined);
      const writeStarted = Date.now();
      const outcome = await db.transaction(async (tx) => {
        // a batch commits with its checkpoint: one lost to a crash is simply read and written
        // again by the next run, so it need not wait for its WAL flush (the run's final status,
        // committed normally, flushes every batch before it)
        await tx.execute(sql`SET LOCAL synchronous_commit = off`);
        const written = await source.writePage(tx, next.page);
        await commitBatch(tx, source.domain, runId, { checkpoint: next.lastKey, ...written });
        return written;
      });
      const postgresMs = Date.now() - writeStarted;
      after = next.lastKey;
      progress.read += outcome.read;
      progress.moved += outcome.moved;
      progress.unchanged += outcome.unchanged;
      progress.reported += outcome.reported.length;
      progress.elapsedMs = Date.now() - started;
      progress.pausedMs = throttle.pausedMs;
      options.onProgress?.({ ...progress });
      // batches are of one size (but the last, which is smaller): their times compare
      const pause = throttle.pauseAfter({ legacy: legacyMs, postgres: postgresMs });
      if (pause > 0) await sleep(pause);
    }
    const unplaced = await source.unplaced();
    await db.transaction((tx) => commitBatch(tx, source.domain, runId, { checkpoint: after ?? '', read: unplaced.length, moved: 0, unchanged: 0, reported: unplaced }));
    await finishBackfill(db, source.domain, runId, { status: 'finished' });
  } catch (error) {
    await finishBackfill(db, source.domain, runId, { status: 'failed', error: describeFailure(error) }).catch(() => undefined);
    throw error;
  }
  const finished = await readBackfill(db, source.domain);
  if (!finished) throw new Error(`the backfill of ${source.domain} has no row`);
  return finished;
}
