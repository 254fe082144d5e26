import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';

const config = loadConfig();

describe('Neo4j store', () => {
  const driver = neo4j.driver(config.neo4j.uri, neo4j.auth.basic(config.neo4j.user, config.neo4j.password));
  const run = randomUUID();
  beforeAll(() => driver.verifyConnectivity());
  afterAll(async () => {
    await driver.executeQuery('MATCH (n:Neo4jStoreProbe {run: $run}) DETACH DELETE n', { run });
    await driver.close();
  });

  it('is Neo4j 5.26 LTS', async () => {
    const { records } = await driver.executeQuery('CALL dbms.components() YIELD name, versions RETURN name, versions[0] AS version');
    expect(records[0]?.get('name')).toBe('Neo4j Kernel');
    expect(records[0]?.get('version')).toMatch(/^5\.26\./);
  });

  it('has APOC core 5.26', async () => {
    const { records } = await driver.executeQuery('RETURN apoc.version() AS version');
    expect(records[0]?.get('version')).toMatch(/^5\.26\./);
  });

  it('runs APOC procedures, including those that need unrestricted access', async () => {
    const { records } = await driver.executeQuery(
      'CALL apoc.periodic.iterate($outer, $inner, {batchSize: 10, params: {run: $run}}) YIELD total, failedOperations RETURN total, failedOperations',
      {
        outer: 'UNWIND range(1, 25) AS i RETURN i',
        inner: "CALL apoc.create.node(['Neo4jStoreProbe'], {run: $run, i: i}) YIELD node RETURN node",
        run,
      },
    );
    expect(records[0]?.get('total').toNumber()).toBe(25);
    expect(records[0]?.get('failedOperations').toNumber()).toBe(0);
    // apoc.meta.stats is sandboxed: Neo4j only loads it when apoc.* is unrestricted.
    const stats = await driver.executeQuery('CALL apoc.meta.stats() YIELD labels RETURN labels.Neo4jStoreProbe AS n');
    expect(stats.records[0]?.get('n').toNumber()).toBeGreaterThanOrEqual(25);
  });

  it('listens for Bolt on 127.0.0.1 only (the stack never exposes a store beyond loopback)', async () => {
    const { records } = await driver.executeQuery("CALL dbms.listConfig('server.bolt.listen_address') YIELD value RETURN value");
    expect(records[0]?.get('value')).toBe(`127.0.0.1:${config.neo4j.boltPort}`);
    // Every other address of this machine (link-local IPv6 would need a scope id).
    const outside = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address !== undefined && !address.internal && !address.address.startsWith('fe80:'))
      .map((address) => address?.address as string);
    for (const host of outside) expect(await accepts(host, config.neo4j.boltPort)).toBe(false);
  });
});

/** True when a TCP connection to host:port opens. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}
