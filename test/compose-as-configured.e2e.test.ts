import { randomBytes, randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossStoreQuery } from '../bench/gateway/cross-store.js';
import { signDevToken } from '../lib/auth.js';
import { loadConfig } from '../lib/config.js';
import { createNeo4jDriver } from '../subgraphs/knowledge/store/driver.js';
import { startCrohnSession } from './gateway/real-world.js';
import { postGraphQL } from './gateway/support.js';
import { removeTestData } from './knowledge/support/knowledge-fixture.js';
import { createSmallGraph } from './knowledge/support/small-graph.js';
import { compose, resolveEnvironment } from './support/compose-file.js';
import { freePort } from './support/free-port.js';
import { startProcess, type ServiceProcess } from './support/service-process.js';

/**
 * The app services exactly as docker-compose.yml runs them: each service's own command and
 * environment (NODE_ENV=production, LISTEN_HOST=0.0.0.0, the gateway told where each subgraph is),
 * nothing inherited from this process. Only what Docker would provide is substituted: the compose
 * host names become this machine's non-loopback address (the app services) or the test stack's
 * stores, the fixed ports free ones, and a key is given (compose ships none). Event streams and
 * collections get this run's prefix so parallel tests never meet. Readiness is compose's own
 * health check command; the cross-store query goes to the gateway at the non-loopback address.
 */
const apps = ['knowledge', 'operations', 'search', 'gateway'] as const;
type App = (typeof apps)[number];
const portVariable: Record<App, string> = { knowledge: 'KNOWLEDGE_PORT', operations: 'OPERATIONS_PORT', search: 'SEARCH_PORT', gateway: 'GATEWAY_PORT' };
const composePort: Record<App, number> = { knowledge: 4001, operations: 4002, search: 4003, gateway: 4000 };

function nonLoopbackAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
  if (!address) throw new Error('this machine has no non-loopback IPv4 address: services cannot be reached the way containers reach them');
  return address;
}

describe('the compose stack, run as compose configures it', () => {
  const stores = loadConfig();
  const host = nonLoopbackAddress();
  const prefix = `cmp${randomUUID().slice(0, 8)}-`;
  const given = { JWT_SECRET: randomBytes(32).toString('hex') };
  const ports = {} as Record<App, number>;
  const running: ServiceProcess[] = [];
  const driver = createNeo4jDriver(stores.neo4j);

  /** The environment compose gives `app`, with Docker's part (names, ports) made real here. */
  const environmentOf = (app: App): Record<string, string> => {
    const addresses: Record<string, string> = {
      postgres: new URL(stores.postgres.url).host,
      neo4j: new URL(stores.neo4j.uri).host,
      redis: new URL(stores.redis.url).host,
      qdrant: new URL(stores.qdrant.url).host,
      ...Object.fromEntries(apps.map((name) => [name, `${host}:${ports[name]}`])),
    };
    const composed = resolveEnvironment(compose.services[app]?.environment, given);
    const resolved = Object.fromEntries(
      Object.entries(composed).map(([key, value]) => [key, value.replace(/(\/\/|@)([a-z][a-z0-9-]*):\d+/g, (match, lead: string, name: string) => (addresses[name] ? `${lead}${addresses[name]}` : match))]),
    );
    for (const name of apps) resolved[portVariable[name]] = String(ports[name]);
    return { ...resolved, EVENT_STREAM_PREFIX: `test-${prefix}`, QDRANT_COLLECTION_PREFIX: `t_${prefix.replace(/-/g, '')}_`, PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' };
  };

  /** Runs compose's health check of `app` (its port made this run's) until it passes, as Docker does. */
  const healthy = async (app: App, service: ServiceProcess, env: Record<string, string>): Promise<void> => {
    const test = (compose.services[app]?.healthcheck?.test ?? []).map((part) => part.replace(`127.0.0.1:${composePort[app]}`, `127.0.0.1:${ports[app]}`));
    expect(test[0]).toBe('CMD');
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const check = startProcess(test.slice(1), env);
      if ((await check.exited).code === 0) return;
      if (service.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`${app} never passed its compose health check:\n${service.output().slice(-3000)}`);
  };

  const start = async (app: App): Promise<void> => {
    const env = environmentOf(app);
    const command = compose.services[app]?.command ?? [];
    const service = startProcess(command, env);
    running.push(service);
    await healthy(app, service, env);
  };

  beforeAll(async () => {
    for (const app of apps) ports[app] = await freePort();
    await createSmallGraph(driver, prefix);
    // compose: the subgraphs once the stores are healthy, the gateway once the subgraphs are
    await Promise.all((['knowledge', 'operations', 'search'] as const).map(start));
    await start('gateway');
  }, 240_000);

  afterAll(async () => {
    for (const service of running) service.signal('SIGTERM');
    await Promise.all(running.map((service) => service.exited));
    await removeTestData(driver, prefix);
    await driver.close();
  });

  it('listens on every interface, not only loopback', async () => {
    for (const app of apps) {
      const response = await fetch(`http://${host}:${ports[app]}/healthz`);
      expect(response.status, app).toBe(200);
    }
  });

  it('answers the cross-store query through the gateway, each subgraph reached at the URL compose gives it', async () => {
    const auth = loadConfig(environmentOf('gateway')).auth;
    const patientA = `${prefix}patient-1`;
    const tokens = { a: await signDevToken(auth, { sub: `${prefix}a`, role: 'patient', patientId: patientA }) };
    const gatewayUrl = `http://${host}:${ports.gateway}/graphql`;
    const sessionId = await startCrohnSession({ prefix, patientA, tokens }, gatewayUrl);
    const reply = await postGraphQL(gatewayUrl, { query: crossStoreQuery, variables: { id: sessionId } }, tokens.a);
    expect(reply.body.errors).toBeUndefined();
    const session = reply.body.data?.session as { title: string; messages: { edges: { node: { mentions: { name: string }[]; supportingPassages: unknown[] } }[] } };
    expect(session.title).toBe('Crohn follow-up');
    const [message] = session.messages.edges;
    expect(message?.node.mentions.map((entity) => entity.name)).toEqual([`Infliximab ${prefix}`]);
    expect(Array.isArray(message?.node.supportingPassages)).toBe(true);
  });
});
