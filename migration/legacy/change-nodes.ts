import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { parseChange, serializeChange, type ChangeEnvelope } from '../changes.js';
import type { MigrationDomain } from '../stages/stage-rules.js';
import { readLegacy, writeLegacy } from './driver.js';

/**
 * Changes the legacy store committed while authoritative, for PostgreSQL (and the events they
 * announce): `(:MigrationChange)` nodes written in the same transaction as the change. `seq`
 * is the commit order within an aggregate: it is taken after the aggregate's lock.
 */

export async function writeChangeNode(tx: ManagedTransaction, envelope: ChangeEnvelope): Promise<void> {
  await tx.run(
    `WITH datetime.realtime() AS now
     CREATE (:MigrationChange {change_id: $changeId, domain: $domain, aggregate: $aggregate, envelope: $envelope,
       seq: now.epochMillis * 1000 + now.microsecond % 1000, postgres_pending: true, events_pending: $eventsPending,
       attempts: 0, created_at: now})`,
    { changeId: envelope.changeId, domain: envelope.domain, aggregate: envelope.aggregate, envelope: serializeChange(envelope), eventsPending: envelope.events.length > 0 },
  );
}

export interface PendingChange {
  envelope: ChangeEnvelope;
  postgresPending: boolean;
  eventsPending: boolean;
  attempts: number;
}

function toPending(record: { get(key: string): unknown }): PendingChange {
  return {
    envelope: parseChange(record.get('envelope') as string),
    postgresPending: record.get('postgresPending') as boolean,
    eventsPending: record.get('eventsPending') as boolean,
    attempts: neo4j.integer.toNumber(record.get('attempts') as number),
  };
}

const pendingColumns = 'c.envelope AS envelope, c.postgres_pending AS postgresPending, c.events_pending AS eventsPending, c.attempts AS attempts';

/** The oldest pending changes, in commit order. */
export async function readPendingChanges(driver: Driver, limit: number): Promise<PendingChange[]> {
  const records = await readLegacy(driver, `MATCH (c:MigrationChange) RETURN ${pendingColumns} ORDER BY c.seq, c.change_id LIMIT $limit`, { limit: neo4j.int(limit) });
  return records.map(toPending);
}

/** The pending changes of one aggregate, in commit order. */
export async function readAggregateChanges(driver: Driver, aggregate: string): Promise<PendingChange[]> {
  const records = await readLegacy(driver, `MATCH (c:MigrationChange {aggregate: $aggregate}) RETURN ${pendingColumns} ORDER BY c.seq, c.change_id`, { aggregate });
  return records.map(toPending);
}

/** How many changes of the domain wait, and how old the oldest is (seconds; null when none). */
export async function pendingChangeSummary(driver: Driver, domain: MigrationDomain): Promise<{ pending: number; oldestAgeSeconds: number | null }> {
  const [record] = await readLegacy(
    driver,
    `MATCH (c:MigrationChange {domain: $domain}) RETURN count(c) AS pending, min(c.created_at) AS oldest,
       CASE WHEN count(c) = 0 THEN null ELSE duration.inSeconds(min(c.created_at), datetime.realtime()).seconds END AS age`,
    { domain },
  );
  const age = record?.get('age') as unknown;
  return { pending: neo4j.integer.toNumber((record?.get('pending') as number) ?? 0), oldestAgeSeconds: age === null || age === undefined ? null : neo4j.integer.toNumber(age as number) };
}

/** Marks parts of a change done; a change with nothing left pending is deleted. */
export async function markChangeDone(driver: Driver, changeId: string, done: { postgres?: boolean; events?: boolean }): Promise<void> {
  await writeLegacy(driver, (tx) =>
    tx.run(
      `MATCH (c:MigrationChange {change_id: $changeId})
       SET c.postgres_pending = c.postgres_pending AND NOT $postgres, c.events_pending = c.events_pending AND NOT $events
       WITH c WHERE NOT c.postgres_pending AND NOT c.events_pending
       DELETE c`,
      { changeId, postgres: done.postgres ?? false, events: done.events ?? false },
    ),
  );
}

/** Records a failed attempt (the relay tries again later). */
export async function recordChangeFailure(driver: Driver, changeId: string, error: string): Promise<void> {
  await writeLegacy(driver, (tx) => tx.run('MATCH (c:MigrationChange {change_id: $changeId}) SET c.attempts = c.attempts + 1, c.last_error = $error', { changeId, error: error.slice(0, 500) }));
}
