import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeEventStream } from '../../bench/gateway/subscription-clients.js';
import { postGraphQL } from '../gateway/support.js';
import { metricSamples, type Replica } from './replica-processes.js';
import { startReplicatedDeployment, type ReplicatedDeployment } from './replicated-deployment.js';

/**
 * Two gateways and two replicas of each subgraph, every one a process of its own started from its
 * production entry point, over the same stores. Gateway A reaches subgraph set 1 only, gateway B
 * set 2 only: what one replica learns reaches the other through the stores (Redis, PostgreSQL)
 * alone, as it would on two machines (docs/scaling.md).
 */
const rateLimit = 20;

describe('two replicas of every service over the same stores', () => {
  let deployment: ReplicatedDeployment;
  let gatewayA: Replica;
  let gatewayB: Replica;
  const ask = (gateway: Replica, query: string, variables: Record<string, unknown>, token: string) => postGraphQL(`${gateway.url}/graphql`, { query, variables }, token);

  const startSession = async (token: string, title: string) => {
    const started = await ask(gatewayA, 'mutation ($p: ID!, $t: String) { startSession(input: { patientId: $p, title: $t }) { id } }', { p: `${deployment.prefix}patient-1`, t: title }, token);
    expect(started.body.errors).toBeUndefined();
    return (started.body.data?.startSession as { id: string }).id;
  };

  beforeAll(async () => {
    // a rate window far longer than this file runs: the limit test's requests all fall in one
    deployment = await startReplicatedDeployment({ replicas: 2, gatewayEnv: { GATEWAY_RATE_LIMIT: String(rateLimit), RATE_WINDOW_SECONDS: '300', SUBSCRIPTIONS_PER_IDENTITY: '1' } });
    [gatewayA, gatewayB] = deployment.gateways as [Replica, Replica];
  }, 300_000);
  afterAll(() => deployment?.stop(), 120_000);

  it('a rename through gateway B is what gateway A answers next, though A had the session cached', async () => {
    const token = await deployment.token('rename', 'patient', 'patient-1');
    const sessionId = await startSession(token, 'Crohn follow-up');
    const query = 'query ($id: ID!) { session(id: $id) { id title patient { allergies { substance } } } }';
    const before = { data: { session: { id: sessionId, title: 'Crohn follow-up', patient: { allergies: [{ substance: 'Penicillin' }] } } } };
    const first = await ask(gatewayA, query, { id: sessionId }, token);
    expect([first.headers.get('x-cache'), first.body]).toEqual(['MISS', before]);
    // stored at its second miss (GATEWAY_RESPONSE_CACHE_ADMIT_AFTER=2), counted over both replicas: this one is B's
    const secondMiss = await ask(gatewayB, query, { id: sessionId }, token);
    expect([secondMiss.headers.get('x-cache'), secondMiss.body]).toEqual(['MISS', before]);
    // the entry is in Redis, not only in B: A answers it from there
    expect((await ask(gatewayA, query, { id: sessionId }, token)).headers.get('x-cache')).toBe('HIT');
    const throughB = await ask(gatewayB, query, { id: sessionId }, token);
    expect([throughB.headers.get('x-cache'), throughB.body]).toEqual(['HIT', before]);

    const renamed = await ask(gatewayB, 'mutation ($id: ID!) { renameSession(id: $id, title: "Crohn review") { id } }', { id: sessionId }, token);
    expect(renamed.body).toEqual({ data: { renameSession: { id: sessionId } } });

    const after = { data: { session: { ...before.data.session, title: 'Crohn review' } } };
    const fromA = await ask(gatewayA, query, { id: sessionId }, token);
    expect([fromA.headers.get('x-cache'), fromA.body]).toEqual(['MISS', after]);
    expect((await ask(gatewayB, query, { id: sessionId }, token)).body).toEqual(after);
  });

  it('a message posted through gateway B is in the next read of its session through gateway A, and reaches A’s subscriber', async () => {
    const token = await deployment.token('messages', 'patient', 'patient-1');
    const sessionId = await startSession(token, 'Messages');
    const query = 'query ($id: ID!) { session(id: $id) { messages { edges { node { content mentions { name } } } } } }';
    const cached = await ask(gatewayA, query, { id: sessionId }, token);
    expect(cached.body).toEqual({ data: { session: { messages: { edges: [] } } } });
    expect((await ask(gatewayA, query, { id: sessionId }, token)).headers.get('x-cache')).toBe('MISS');
    expect((await ask(gatewayA, query, { id: sessionId }, token)).headers.get('x-cache')).toBe('HIT');

    const live = await subscribeEventStream(`${gatewayA.url}/graphql`, token, 'subscription ($s: ID!) { messageAdded(sessionId: $s) { content } }', { s: sessionId });
    try {
      expect(live.status).toBe(200);
      const posted = await ask(gatewayB, 'mutation ($s: ID!, $m: [ID!]) { postMessage(input: { sessionId: $s, role: USER, content: "Is infliximab right for me?", mentions: $m }) { id } }', { s: sessionId, m: [`${deployment.prefix}infliximab`] }, token);
      expect(posted.body.errors).toBeUndefined();
      expect((await ask(gatewayA, query, { id: sessionId }, token)).body).toEqual({
        data: { session: { messages: { edges: [{ node: { content: 'Is infliximab right for me?', mentions: [{ name: `Infliximab ${deployment.prefix}` }] } }] } } },
      });
      const [event] = await live.waitFor(1, 30_000);
      expect(event?.data).toEqual({ messageAdded: { content: 'Is infliximab right for me?' } });
    } finally {
      await live.close();
    }
  });

  it('holds one identity to SUBSCRIPTIONS_PER_IDENTITY over both gateways', async () => {
    const token = await deployment.token('slots', 'patient', 'patient-1');
    const sessionId = await startSession(token, 'Slots');
    const subscription = 'subscription ($s: ID!) { messageAdded(sessionId: $s) { id } }';
    const held = await subscribeEventStream(`${gatewayA.url}/graphql`, token, subscription, { s: sessionId });
    try {
      expect(held.status).toBe(200);
      const second = await subscribeEventStream(`${gatewayB.url}/graphql`, token, subscription, { s: sessionId });
      expect([second.status, second.refusal?.errors[0]?.extensions?.code]).toEqual([429, 'RATE_LIMITED']);
    } finally {
      await held.close();
    }
  });

  it('counts one identity’s requests over both gateways against one GATEWAY_RATE_LIMIT', async () => {
    const token = await deployment.token('limited', 'clinician');
    const statuses: number[] = [];
    for (let n = 0; n < rateLimit; n += 1) statuses.push((await ask(n % 2 === 0 ? gatewayA : gatewayB, '{ __typename }', {}, token)).status);
    expect(statuses).toEqual(Array.from({ length: rateLimit }, () => 200));
    // each gateway has seen only half the limit: a count of its own would let these through
    for (const gateway of [gatewayA, gatewayB]) {
      const refused = await ask(gateway, '{ __typename }', {}, token);
      expect([refused.status, refused.body.errors?.[0]?.extensions?.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('sends each gateway’s requests to its own set of subgraph replicas, and none to the other set', async () => {
    const token = await deployment.token('fan-out', 'clinician');
    const query = 'query ($e: ID!) { medicalEntity(id: $e) { name } documents(first: 1) { totalCount } semanticSearch(text: "Crohn disease", k: 1) { score } }';
    const subgraphs = deployment.sets.flatMap((set) => [set.knowledge, set.operations, set.search]);
    const served = () => Promise.all(subgraphs.map(async (replica) => (await metricSamples(replica, `${replica.name}_requests_total`)).reduce((sum, sample) => sum + sample.value, 0)));
    // an entity of its own for each gateway: the answer is cached PUBLIC, and B would be served A's from Redis
    const entities = [['crohns', 'Crohn disease'], ['infliximab', 'Infliximab']];
    for (const [index, gateway] of deployment.gateways.entries()) {
      const [entity, name] = entities[index] as [string, string];
      const before = await served();
      const answer = await ask(gateway, query, { e: `${deployment.prefix}${entity}` }, token);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data?.medicalEntity).toEqual({ name: `${name} ${deployment.prefix}` });
      // the subgraphs of set `index` come at positions 3 * index to 3 * index + 2
      expect(await served()).toEqual(before.map((count, position) => count + (Math.floor(position / 3) === index ? 1 : 0)));
    }
  });
});
