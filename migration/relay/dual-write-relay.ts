import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { sql } from 'drizzle-orm';
import type { Logger } from '../../lib/logger.js';
import { publishDefined } from '../../lib/typed-events.js';
import { applyLegacyChange, type Database, type Executor } from '../../subgraphs/operations/store/index.js';
import type { ChangeEnvelope } from '../changes.js';
import { applyChangeToLegacy } from '../legacy/apply-change.js';
import { describeFailure } from '../postgres-errors.js';
import { markChangeDone, readAggregateChanges, readPendingChanges, recordChangeFailure } from '../legacy/change-nodes.js';
import { writeLegacy } from '../legacy/driver.js';
import type { LegacyFormat } from '../legacy/legacy-format.js';
import { aggregatesWithQueuedChanges, claimLegacyChange, lockQueuedChanges, markQueuedApplied, recordQueuedFailure } from '../store/change-queue.js';

/**
 * The dual-write relay: applies each change the authoritative store committed to the other
 * store, in commit order per aggregate (an advisory lock per aggregate serialises every relay of
 * every replica), idempotently (legacy changes are claimed by id in PostgreSQL; legacy writes are
 * MERGEs of full states). Right after a commit the change's aggregate is applied at once; a loop
 * picks up what that missed, backing off while a store is down.
 */
export interface DualWriteRelay {
  /** The legacy store committed this change (legacy authoritative). */
  legacyCommitted(envelope: ChangeEnvelope): void;
  /** PostgreSQL committed this change (PostgreSQL authoritative). */
  postgresCommitted(envelope: ChangeEnvelope): void;
  /**
   * Applies what the other store committed for one aggregate to `into` now (a write about to run
   * there needs it: at a change of authority, replicas briefly disagree on which store decides).
   */
  catchUp(aggregate: string, into: 'legacy' | 'postgres'): Promise<void>;
  /** Applies everything pending now, both ways; the counts of changes applied and of aggregates that failed. */
  drain(): Promise<{ toPostgres: number; toLegacy: number; failedAggregates: number }>;
  /** Resolves when the applications started by commits are done. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export interface RelayOptions {
  db: Database;
  driver: Driver;
  redis: Redis;
  format: LegacyFormat;
  logger: Logger;
  /** Pause between rounds of the loop; it backs off (doubling, up to 30 s) while a store fails. 0: no loop. */
  intervalMs: number;
  /** Whether some domain writes to both stores now; while none does and nothing is left, the loop looks ten times less often (30 s at most). */
  dualWriting: () => boolean;
}

const maxBackoffMs = 30_000;
/** How often an idle loop looks at most (a replica that lagged behind a stage change may have left a change). */
const idleIntervalMs = 30_000;
/** Applications right after commits in flight at most, per store they write to. */
const maxImmediatePerStore = 2;

const lockAggregate = (tx: Executor, aggregate: string) => tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`migration:${aggregate}`}, 0))`);


export function startDualWriteRelay(options: RelayOptions): DualWriteRelay {
  const { db, driver, redis, format, logger } = options;
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;

  /** Applies the pending legacy changes of one aggregate to PostgreSQL, then publishes their events; returns how many were applied. */
  async function applyToPostgres(aggregate: string): Promise<number> {
    const applied = await db.transaction(async (tx) => {
      await lockAggregate(tx, aggregate);
      const changes = await readAggregateChanges(driver, aggregate);
      for (const pending of changes) {
        if (!pending.postgresPending || !(await claimLegacyChange(tx, pending.envelope.changeId))) continue;
        const { change, audit, toPostgres } = pending.envelope;
        await applyLegacyChange(tx, toPostgres ? change : null, audit);
      }
      return changes;
    }).catch(async (error: unknown) => {
      const first = (await readAggregateChanges(driver, aggregate).catch(() => []))[0];
      if (first) await recordChangeFailure(driver, first.envelope.changeId, describeFailure(error)).catch(() => undefined);
      throw error;
    });
    for (const pending of applied) {
      let eventsDone = !pending.eventsPending;
      if (!eventsDone) {
        try {
          for (const event of pending.envelope.events) await publishDefined(redis, event);
          eventsDone = true;
        } catch (error) {
          logger.warn({ err: error, changeId: pending.envelope.changeId }, 'events of a legacy change not published yet; the relay retries');
        }
      }
      await markChangeDone(driver, pending.envelope.changeId, { postgres: true, events: eventsDone });
    }
    return applied.length;
  }

  /** Applies the queued PostgreSQL changes of one aggregate to the legacy store; returns how many. */
  async function applyToLegacy(aggregate: string): Promise<number> {
    let firstId: number | undefined;
    try {
      return await db.transaction(async (tx) => {
        await lockAggregate(tx, aggregate);
        const queued = await lockQueuedChanges(tx, aggregate);
        firstId = queued[0]?.id;
        if (queued.length === 0) return 0;
        await writeLegacy(driver, async (legacyTx) => {
          for (const change of queued) await applyChangeToLegacy(legacyTx, change.envelope.change, format);
        });
        await markQueuedApplied(tx, queued.map((change) => change.id));
        return queued.length;
      });
    } catch (error) {
      if (firstId !== undefined) await recordQueuedFailure(db, firstId, describeFailure(error)).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Applications right after a commit, per store they write to: a few at a time, and none while
   * that store fails (each would hold a PostgreSQL connection while waiting for it); the loop
   * applies what they leave, and a round without failures opens the lane again.
   */
  const lanes = { postgres: { busy: 0, failing: false }, legacy: { busy: 0, failing: false } };
  function applyNow(into: 'postgres' | 'legacy', aggregate: string): void {
    const lane = lanes[into];
    if (lane.failing || lane.busy >= maxImmediatePerStore) return;
    lane.busy += 1;
    const work = (into === 'postgres' ? applyToPostgres(aggregate) : applyToLegacy(aggregate)).then(
      () => undefined,
      () => {
        lane.failing = true;
      },
    );
    const tracked = work.finally(() => {
      lane.busy -= 1;
      inFlight.delete(tracked);
    });
    inFlight.add(tracked);
  }

  /**
   * Applies, aggregate by aggregate, what `waiting` lists (up to a page at a time), until a page
   * brings no progress or is the last: the applied changes and the aggregates that failed.
   */
  async function drainDirection(waiting: () => Promise<{ aggregates: string[]; full: boolean }>, apply: (aggregate: string) => Promise<number>, what: string): Promise<{ applied: number; failed: number }> {
    let applied = 0;
    let failed = 0;
    for (;;) {
      const { aggregates, full } = await waiting();
      let progressed = false;
      for (const aggregate of aggregates) {
        if (stopped) return { applied, failed };
        try {
          const count = await apply(aggregate);
          applied += count;
          progressed ||= count > 0;
        } catch (error) {
          failed += 1;
          logger.debug({ err: error, aggregate }, `${what} not applied yet`);
        }
      }
      if (!progressed || !full) return { applied, failed };
    }
  }

  const page = 500;
  const drainLegacy = () =>
    drainDirection(async () => {
      const pending = await readPendingChanges(driver, page);
      return { aggregates: [...new Set(pending.map((change) => change.envelope.aggregate))], full: pending.length === page };
    }, applyToPostgres, 'a legacy change for PostgreSQL');
  const drainPostgres = () =>
    drainDirection(async () => {
      const aggregates = await aggregatesWithQueuedChanges(db, page);
      return { aggregates, full: aggregates.length === page };
    }, applyToLegacy, 'a PostgreSQL change for the legacy store');

  async function drain() {
    const [toPostgres, toLegacy] = await Promise.all([
      drainLegacy().catch(() => ({ applied: 0, failed: 1 })),
      drainPostgres().catch(() => ({ applied: 0, failed: 1 })),
    ]);
    if (toPostgres.failed === 0) lanes.postgres.failing = false;
    if (toLegacy.failed === 0) lanes.legacy.failing = false;
    return { toPostgres: toPostgres.applied, toLegacy: toLegacy.applied, failedAggregates: toPostgres.failed + toLegacy.failed };
  }

  let timer: NodeJS.Timeout | undefined;
  let failureDelay = options.intervalMs;
  let idle = false;
  let round: Promise<unknown> = Promise.resolve();
  function schedule(delay: number): void {
    if (stopped || options.intervalMs === 0) return;
    timer = setTimeout(() => {
      round = drain().then((result) => {
        const failed = result.failedAggregates > 0;
        failureDelay = failed ? Math.min(maxBackoffMs, failureDelay * 2) : options.intervalMs;
        if (failed) logger.warn({ ...result, retryInMs: failureDelay }, 'dual-write relay: some changes could not be applied yet');
        idle = !failed && result.toPostgres + result.toLegacy === 0;
        schedule(failed ? failureDelay : nextDelay());
      });
    }, delay);
    timer.unref();
  }
  // often while dual-writes happen or the last round found work; else now and then
  const nextDelay = () => (!idle || options.dualWriting() ? options.intervalMs : Math.min(idleIntervalMs, options.intervalMs * 10));
  // what earlier processes left is applied at once
  schedule(0);

  return {
    legacyCommitted: (envelope) => applyNow('postgres', envelope.aggregate),
    catchUp: async (aggregate, into) => {
      await (into === 'postgres' ? applyToPostgres(aggregate) : applyToLegacy(aggregate));
    },
    postgresCommitted: (envelope) => applyNow('legacy', envelope.aggregate),
    drain,
    settled: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await round;
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
