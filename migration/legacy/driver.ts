import neo4j, { type Driver, type ManagedTransaction, type Record as Neo4jRecord } from 'neo4j-driver';
import type { Config } from '../../lib/config.js';

export type LegacySettings = Config['migration']['legacy'];

/**
 * The legacy store's driver. Integers stay Neo4j Integers: the archive must tell an integer
 * from a float to restore it as it was (the readers in values.ts turn them into numbers).
 */
export function createLegacyDriver(settings: LegacySettings): Driver {
  // a write retried on transient errors for at most 5 s: while the legacy store is down, callers learn it soon
  return neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), { maxConnectionPoolSize: 50, maxTransactionRetryTime: 5000, connectionAcquisitionTimeout: 10_000 });
}

/** One read statement as an auto-commit transaction (a single round trip). */
export async function readLegacy(driver: Driver, cypher: string, parameters: Record<string, unknown> = {}): Promise<Neo4jRecord[]> {
  const session = driver.session({ defaultAccessMode: neo4j.session.READ });
  try {
    return (await session.run(cypher, parameters)).records;
  } finally {
    await session.close();
  }
}

/**
 * One write transaction; the driver retries it on transient errors (deadlocks, leader
 * changes), so `work` must only talk to the transaction it is given.
 */
export async function writeLegacy<T>(driver: Driver, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
  try {
    return await session.executeWrite(work);
  } finally {
    await session.close();
  }
}

/** Readiness: true when the legacy store answers. */
export async function pingLegacy(driver: Driver): Promise<boolean> {
  await readLegacy(driver, 'RETURN 1');
  return true;
}
