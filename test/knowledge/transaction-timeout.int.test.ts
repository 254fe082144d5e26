import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { createNeo4jDriver } from '../../subgraphs/knowledge/store/driver.js';

/** Neo4j's own limits from configuration: the server terminates long transactions, whichever client runs them. */
describe('Neo4j transaction timeout', () => {
  const config = loadConfig();
  const driver = createNeo4jDriver(config.neo4j);
  afterAll(() => driver.close());

  /** Neo4j shows durations as e.g. `2m`, `90s`, `1h30m`, `0s`. */
  const seconds = (duration: string): number => {
    const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };
    return [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)].reduce((total, [, value, unit]) => total + Number(value) * (units[unit as string] ?? Number.NaN), 0);
  };

  it('is set on the server the stack starts to NEO4J_TRANSACTION_TIMEOUT_SECONDS', async () => {
    const { records } = await driver.executeQuery("SHOW SETTINGS YIELD name, value WHERE name = 'db.transaction.timeout' RETURN value");
    expect(seconds(String(records[0]?.get('value')))).toBe(config.neo4j.transactionTimeoutSeconds);
  });
});
