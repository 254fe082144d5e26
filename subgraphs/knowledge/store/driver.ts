import neo4j, { type Driver, type Record as Neo4jRecord } from 'neo4j-driver';
import type { Config } from '../../../lib/config.js';

export function createNeo4jDriver(settings: Config['neo4j']): Driver {
  return neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), {
    maxConnectionPoolSize: 50,
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
