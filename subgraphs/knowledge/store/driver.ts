import neo4j, { type Driver, type Record as Neo4jRecord, type Session } from 'neo4j-driver';
import type { Config } from '../../../lib/config.js';
import type { StoreMetrics } from '../../../lib/store-metrics.js';
import { withOverrides } from '../../../lib/with-overrides.js';

export function createNeo4jDriver(settings: Config['neo4j']): Driver {
  return neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), {
    maxConnectionPoolSize: settings.poolMax,
    // Integers come back as JS numbers: counts and confidences are far below 2^53.
    disableLosslessIntegers: true,
  });
}

/** Resolves true when Neo4j answers (for /readyz). */
export async function pingNeo4j(driver: Driver): Promise<boolean> {
  await driver.executeQuery('RETURN 1', {}, { routing: neo4j.routing.READ });
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
 * The driver with every statement and transaction timed, by access mode: auto-commit statements
 * (`read`, `write`), managed transactions (`read_transaction`, `write_transaction`, their work
 * included) and `executeQuery` (`query`). The given driver is left as it is.
 */
export function instrumentDriver(driver: Driver, metrics: StoreMetrics): Driver {
  const observeSession = (session: Session, mode: 'read' | 'write'): Session =>
    withOverrides(session, {
      run: (...args: Parameters<Session['run']>) => {
        const result = session.run(...args);
        // the caller awaits the same Result: its records are collected once
        void metrics.observe('neo4j', mode, Promise.resolve(result));
        return result;
      },
      executeRead: (...args: Parameters<Session['executeRead']>) => metrics.observe('neo4j', 'read_transaction', session.executeRead(...args)),
      executeWrite: (...args: Parameters<Session['executeWrite']>) => metrics.observe('neo4j', 'write_transaction', session.executeWrite(...args)),
    });
  return withOverrides(driver, {
    session: (config?: Parameters<Driver['session']>[0]) => observeSession(driver.session(config), config?.defaultAccessMode === neo4j.session.READ ? 'read' : 'write'),
    executeQuery: (...args: Parameters<Driver['executeQuery']>) => metrics.observe('neo4j', 'query', driver.executeQuery(...args)),
  });
}
