import neo4j, { type Driver, type Record as Neo4jRecord, type Session } from 'neo4j-driver';
import type { Config } from '../../../lib/config.js';
import type { StoreMetrics } from '../../../lib/store-metrics.js';

export function createNeo4jDriver(settings: Config['neo4j']): Driver {
  return neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), {
    maxConnectionPoolSize: settings.poolMax,
    // Integers come back as JS numbers: counts and confidences are far below 2^53.
    disableLosslessIntegers: true,
  });
}

/** Resolves true when Neo4j answers (for /readyz). */
export async function pingNeo4j(driver: Driver): Promise<boolean> {
  await driver.executeQuery('RETURN 1');
  return true;
}

/**
 * One read statement as an auto-commit transaction: a single round trip, where executeQuery's
 * managed transaction costs three (BEGIN, RUN, COMMIT). For the hot read paths of the subgraph.
 */
export async function readRecords(driver: Driver, cypher: string, parameters: Record<string, unknown>): Promise<Neo4jRecord[]> {
  const session = driver.session({ defaultAccessMode: neo4j.session.READ });
  try {
    return (await session.run(cypher, parameters)).records;
  } finally {
    await session.close();
  }
}

/**
 * Times every statement and transaction the driver runs, by access mode: auto-commit statements
 * (`read`, `write`), managed transactions (`read_transaction`, `write_transaction`, their work
 * included) and `executeQuery` (`query`). Patches this driver in place, so every holder is covered.
 */
export function instrumentDriver(driver: Driver, metrics: StoreMetrics): void {
  const executeQuery = driver.executeQuery.bind(driver);
  driver.executeQuery = ((...args: Parameters<Driver['executeQuery']>) => metrics.observe('neo4j', 'query', executeQuery(...args))) as Driver['executeQuery'];
  const openSession = driver.session.bind(driver);
  driver.session = (config) => {
    const session = openSession(config);
    const mode = config?.defaultAccessMode === neo4j.session.READ ? 'read' : 'write';
    const run = session.run.bind(session);
    session.run = ((...args: Parameters<Session['run']>) => {
      const result = run(...args);
      // the caller awaits the same Result: its records are collected once
      void metrics.observe('neo4j', mode, Promise.resolve(result));
      return result;
    }) as Session['run'];
    const executeRead = session.executeRead.bind(session);
    session.executeRead = ((...args: Parameters<Session['executeRead']>) => metrics.observe('neo4j', 'read_transaction', executeRead(...args))) as Session['executeRead'];
    const executeWrite = session.executeWrite.bind(session);
    session.executeWrite = ((...args: Parameters<Session['executeWrite']>) => metrics.observe('neo4j', 'write_transaction', executeWrite(...args))) as Session['executeWrite'];
    return session;
  };
}
