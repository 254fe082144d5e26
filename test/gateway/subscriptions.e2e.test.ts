import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../lib/auth.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { publish } from '../../lib/typed-events.js';
import { freePort } from '../support/free-port.js';
import { launchChromium, openPlayground, runOperation, setHeaders, shownResponse } from '../support/playground-page.js';
import { startServiceProcess, waitUntilHealthy } from '../support/service-process.js';
import { startCrohnSession, startRealWorld, type RealWorld } from './real-world.js';
import { connectWebSocket, subscribeEventStream, type Received, type Subscription } from '../../bench/gateway/subscription-clients.js';
import { postGraphQL } from './support.js';

/**
 * Live sessions through the gateway over the real subgraphs and stores: graphql-ws and
 * Server-Sent Events, events from the operations subgraph's outbox through Redis, each resolved
 * through the supergraph with the subscriber's permissions.
 */

const messageAdded = `subscription Live($s: ID!) {
  messageAdded(sessionId: $s) { id role content mentions { id name } session { id } }
}`;
const sessionUpdated = 'subscription Sessions($p: ID!) { sessionUpdated(patientId: $p) { id title status lastActivity } }';

describe('subscriptions through the gateway', () => {
  let world: RealWorld;
  let gateway: ServiceHandle;
  let sessionId = '';

  const post = async (content: string, token = world.tokens.a, session = sessionId) => {
    const reply = await postGraphQL(
      gateway.url,
      { query: 'mutation ($s: ID!, $c: String!, $m: [ID!]) { postMessage(input: { sessionId: $s, role: USER, content: $c, mentions: $m }) { id } }', variables: { s: session, c: content, m: [`${world.prefix}infliximab`] } },
      token,
    );
    expect(reply.body.errors).toBeUndefined();
    return (reply.body.data?.postMessage as { id: string }).id;
  };
  const contents = (received: Received[]) => received.map((result) => ((result.data?.messageAdded ?? {}) as { content?: string }).content);
  /** A WebSocket subscribe is not acknowledged: subscribers are live once a message reaches each; their warm-up results are then dropped. */
  const warmUp = async (...subscriptions: Subscription[]) => {
    for (let attempt = 0; subscriptions.some((subscription) => subscription.received.length === 0); attempt += 1) {
      if (attempt === 50) throw new Error('the subscribers never received a message');
      await post(`warm-up ${attempt}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // a warm-up posted last may still be on its way to one of them
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const subscription of subscriptions) subscription.received.splice(0);
  };

  beforeAll(async () => {
    world = await startRealWorld();
    gateway = await world.startGateway({ settings: { responseCache: true } });
    sessionId = await startCrohnSession(world, gateway.url);
  }, 120_000);
  afterAll(() => world?.stop());

  it('sends a message posted through the gateway to a WebSocket and an SSE subscriber, its mentions resolved by the knowledge subgraph', async () => {
    const socket = connectWebSocket(gateway.url, world.tokens.a);
    const overWs = socket.subscribe(messageAdded, { s: sessionId });
    const overSse = await subscribeEventStream(gateway.url, world.tokens.clinician, messageAdded, { s: sessionId });
    try {
      expect(overSse.status).toBe(200);
      await warmUp(overWs, overSse);
      const sent = performance.now();
      const id = await post('Is infliximab still right for me?');
      const [ws, sse] = await Promise.all([overWs.waitFor(1), overSse.waitFor(1)]);
      for (const results of [ws, sse]) {
        expect(results).toHaveLength(1);
        const last = results[0] as Received;
        expect(last.errors).toBeUndefined();
        expect(last.data?.messageAdded).toEqual({ id, role: 'USER', content: 'Is infliximab still right for me?', mentions: [{ id: `${world.prefix}infliximab`, name: expect.stringContaining('Infliximab') }], session: { id: sessionId } });
        expect(last.extensions?.eventId).toMatch(/^\d+-\d+$/);
        // the latency goal (200 ms) is measured by bench/gateway/subscriptions.ts; here: it came at once, not by a poll
        expect(last.at - sent).toBeLessThan(5000);
      }
      expect(sse[0]?.id).toBe(sse[0]?.extensions?.eventId);
    } finally {
      await overSse.close();
      await socket.dispose();
    }
  });

  it("refuses another patient's subscription over both transports, and a connection without a token", async () => {
    const socket = connectWebSocket(gateway.url, world.tokens.b);
    const refused = socket.subscribe(messageAdded, { s: sessionId });
    await refused.waitFor(1);
    expect(refused.received).toEqual([]);
    expect(JSON.stringify(refused.failures)).toContain('FORBIDDEN');
    await socket.dispose();

    const overSse = await subscribeEventStream(gateway.url, world.tokens.b, sessionUpdated, { p: world.patientA });
    expect(overSse.status).toBe(403);
    expect(overSse.refusal?.errors[0]?.extensions?.code).toBe('FORBIDDEN');

    const anonymous = connectWebSocket(gateway.url, undefined);
    expect((await anonymous.closed).code).toBe(4401);
    const noToken = await subscribeEventStream(gateway.url, undefined, messageAdded, { s: sessionId });
    expect(noToken.status).toBe(401);
  });

  it("sends a patient's session changes (title, status, last activity) to sessionUpdated", async () => {
    const overSse = await subscribeEventStream(gateway.url, world.tokens.a, sessionUpdated, { p: world.patientA });
    try {
      await post('a message moves the last activity');
      const [moved] = await overSse.waitFor(1);
      expect(moved?.data?.sessionUpdated).toMatchObject({ id: sessionId, status: 'ACTIVE', title: 'Crohn follow-up' });
      const renamed = await postGraphQL(gateway.url, { query: 'mutation ($s: ID!) { renameSession(id: $s, title: "Crohn, renamed") { id } }', variables: { s: sessionId } }, world.tokens.a);
      expect(renamed.body.errors).toBeUndefined();
      const results = await overSse.waitFor(2);
      expect(results[1]?.data?.sessionUpdated).toMatchObject({ id: sessionId, title: 'Crohn, renamed' });
    } finally {
      await overSse.close();
    }
  });

  it('ends a WebSocket connection with 4401 when its token expires, and an SSE subscription with UNAUTHENTICATED', async () => {
    const shortLived = await signDevToken(world.config.auth, { sub: `${world.prefix}a`, role: 'patient', patientId: world.patientA }, '3s');
    const socket = connectWebSocket(gateway.url, shortLived);
    socket.subscribe(messageAdded, { s: sessionId });
    const overSse = await subscribeEventStream(gateway.url, shortLived, messageAdded, { s: sessionId });
    const closed = await socket.closed;
    expect(closed).toMatchObject({ code: 4401, reason: expect.stringContaining('Token expired') });
    await overSse.waitFor(1);
    expect(overSse.received.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(overSse.completed).toBe(true);
  });

  it('applies the query limits and the subscriptions-per-identity limit', async () => {
    const limited = await world.startGateway({ settings: { responseCache: false, subscriptions: { perIdentity: 2, perGateway: 100, replayLimit: 100 } }, limits: { maxDepth: 4 } });
    const tooDeep = await subscribeEventStream(limited.url, world.tokens.a, `subscription { messageAdded(sessionId: "${sessionId}") { session { patient { sessions { edges { node { id } } } } } } }`);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.refusal?.errors[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' });
    const socket = connectWebSocket(gateway.url, world.tokens.a);
    const tooCostly = socket.subscribe(`subscription { messageAdded(sessionId: "${sessionId}") { session { messages { edges { node { session { messages { edges { node { session { messages { edges { node { id } } } } } } } } } } } } } }`);
    await tooCostly.waitFor(1);
    expect(JSON.stringify(tooCostly.failures)).toContain('"limit":"cost"');
    await socket.dispose();

    const held = [await subscribeEventStream(limited.url, world.tokens.a, messageAdded, { s: sessionId }), await subscribeEventStream(limited.url, world.tokens.a, messageAdded, { s: sessionId })];
    const third = await subscribeEventStream(limited.url, world.tokens.a, messageAdded, { s: sessionId });
    expect(third.status).toBe(429);
    expect(third.refusal?.errors[0]?.extensions?.code).toBe('RATE_LIMITED');
    await held[0]?.close();
    // the slot is free again once the server saw the stream end
    let again = await subscribeEventStream(limited.url, world.tokens.a, messageAdded, { s: sessionId });
    for (let attempt = 0; again.status === 429 && attempt < 50; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await subscribeEventStream(limited.url, world.tokens.a, messageAdded, { s: sessionId });
    }
    expect(again.status).toBe(200);
    await Promise.all([again.close(), held[1]?.close()]);
  });

  it('serves a query over both transports, and refuses a subscription sent as a plain request', async () => {
    const socket = connectWebSocket(gateway.url, world.tokens.a);
    const query = socket.subscribe('query ($s: ID!) { session(id: $s) { title } }', { s: sessionId });
    await query.waitFor(1);
    expect(query.received[0]?.data).toEqual({ session: { title: expect.any(String) } });
    await socket.dispose();
    const plain = await postGraphQL(gateway.url, { query: messageAdded, variables: { s: sessionId } }, world.tokens.a);
    expect(plain.status).toBe(400);
    expect(plain.body.errors?.[0]?.message).toMatch(/WebSocket .* Server-Sent Events/);
  });

  it('sends an event once when a retried publish put it on the stream again', async () => {
    const overSse = await subscribeEventStream(gateway.url, world.tokens.a, messageAdded, { s: sessionId });
    const redis = new Redis(world.config.redis.url);
    try {
      await warmUp(overSse);
      const id = await post('published once, copied twice');
      await overSse.waitFor(1);
      for (let copy = 0; copy < 2; copy += 1) {
        await publish(redis, world.config.eventStreamPrefix, 'message.added', `message:${id}`, { messageId: id, sessionId, patientId: world.patientA, createdAt: new Date().toISOString() });
      }
      await post('the next one');
      await overSse.waitFor(2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(contents(overSse.received)).toEqual(['published once, copied twice', 'the next one']);
    } finally {
      redis.disconnect();
      await overSse.close();
    }
  });

  it('runs a subscription in the playground, which shows each message as it is posted', async () => {
    const browser = await launchChromium();
    try {
      const page = await openPlayground(browser, gateway.url);
      await setHeaders(page, { Authorization: `Bearer ${world.tokens.a}` });
      await runOperation(page, `subscription Watch { messageAdded(sessionId: "${sessionId}") { content } }`, 'Watch');
      for (let attempt = 0; !(await shownResponse(page)).includes('from the playground test'); attempt += 1) {
        if (attempt === 50) throw new Error(`the playground showed no message: ${await shownResponse(page)}`);
        await post(`from the playground test ${attempt}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(JSON.parse(await shownResponse(page))).toMatchObject({ data: { messageAdded: { content: expect.stringContaining('from the playground test') } } });
    } finally {
      await browser.close();
    }
  });

  it('loses nothing when the replica serving a subscriber is killed: the reconnect with Last-Event-ID gets what it missed, once', async () => {
    const port = await freePort();
    const replica = startServiceProcess('gateway/index.ts', {
      GATEWAY_PORT: String(port),
      GATEWAY_SUPERGRAPH: world.supergraphFile,
      EVENT_STREAM_PREFIX: world.config.eventStreamPrefix,
      LOG_LEVEL: 'warn',
    });
    const replicaUrl = `http://127.0.0.1:${port}/graphql`;
    try {
      await waitUntilHealthy(replica, `http://127.0.0.1:${port}/healthz`);
      const first = await subscribeEventStream(replicaUrl, world.tokens.a, messageAdded, { s: sessionId });
      const socket = connectWebSocket(replicaUrl, world.tokens.a);
      const overWs = socket.subscribe(messageAdded, { s: sessionId });
      await warmUp(first, overWs);
      const before = ['k1', 'k2', 'k3'];
      for (const text of before) await post(text);
      await Promise.all([first.waitFor(3), overWs.waitFor(3)]);
      expect(contents(first.received)).toEqual(before);
      replica.signal('SIGKILL');
      await replica.exited;
      await first.waitFor(4);
      expect(first.ended).toBe(true);
      expect(first.completed).toBe(false);

      // written while nobody served the subscriber, through the other replica
      const during = ['k4', 'k5', 'k6', 'k7'];
      for (const text of during) await post(text);
      const lastSeen = first.received.at(-1)?.id as string;
      const resumed = await subscribeEventStream(gateway.url, world.tokens.a, messageAdded, { s: sessionId }, lastSeen);
      const resumedWs = connectWebSocket(gateway.url, world.tokens.a);
      const overWsAgain = resumedWs.subscribe(messageAdded, { s: sessionId }, { lastEventId: overWs.received.at(-1)?.extensions?.eventId });
      await Promise.all([resumed.waitFor(4), overWsAgain.waitFor(4)]);
      await post('k8');
      await Promise.all([resumed.waitFor(5), overWsAgain.waitFor(5)]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(contents(resumed.received)).toEqual([...during, 'k8']);
      expect(contents(overWsAgain.received)).toEqual([...during, 'k8']);
      await Promise.all([resumed.close(), resumedWs.dispose(), socket.dispose()]);

      const tooOld = await subscribeEventStream(gateway.url, world.tokens.a, messageAdded, { s: sessionId }, '1-0');
      expect(tooOld.status).toBe(409);
      const notAnId = await subscribeEventStream(gateway.url, world.tokens.a, messageAdded, { s: sessionId }, 'yesterday');
      expect(notAnId.status).toBe(400);
    } finally {
      replica.child.kill('SIGKILL');
    }
  });
});
