import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishStageEpoch } from '../../lib/stage-epoch.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { postGraphQL, startFixtureWorld, type FixtureWorld } from './support.js';

const query = 'query Cached($id: ID!) { session(id: $id) { title patient { allergies { substance } } } }';

describe('gateway response cache', () => {
  let world: FixtureWorld;
  let replicaA: ServiceHandle;
  let replicaB: ServiceHandle;

  beforeAll(async () => {
    world = await startFixtureWorld(['sessions', 'patients']);
    // Two replicas over the same Redis prefix, as two gateway processes would be.
    replicaA = await world.startGateway();
    replicaB = await world.startGateway();
  });
  afterAll(() => world.stop());

  const ask = (gateway: ServiceHandle, token: string, id: string) => postGraphQL(gateway.url, { query, variables: { id } }, token);

  it('caches per identity: a second call hits, another caller never gets the first one’s entry', async () => {
    const ids = { a: `${world.id}s1`, b: `${world.id}s2` };
    const first = await ask(replicaA, world.tokens.patientA, ids.a);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const second = await ask(replicaA, world.tokens.patientA, ids.a);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.body).toEqual({ data: { session: { title: 'Asthma follow-up', patient: { allergies: [{ substance: 'penicillin' }] } } } });

    // Patient B asking the same operation for A's session is refused by the subgraph, not served from cache.
    const intruder = await ask(replicaA, world.tokens.patientB, ids.a);
    expect(intruder.headers.get('x-cache')).toBeNull();
    expect(intruder.body.data).toEqual({ session: null });
    expect(intruder.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const own = await ask(replicaA, world.tokens.patientB, ids.b);
    expect(own.body.data).toEqual({ session: { title: 'Migraine intake', patient: { allergies: [{ substance: 'latex' }, { substance: 'peanuts' }] } } });
  });

  it('invalidates entries a mutation changes, on every replica', async () => {
    const id = `${world.id}s1`;
    expect((await ask(replicaA, world.tokens.clinician, id)).headers.get('x-cache')).toBe('MISS');
    // Replica B finds A's entry in Redis and keeps it in its own memory too.
    expect((await ask(replicaB, world.tokens.clinician, id)).headers.get('x-cache')).toBe('HIT');
    expect((await ask(replicaA, world.tokens.clinician, id)).headers.get('x-cache')).toBe('HIT');

    const renamed = await postGraphQL(replicaA.url, { query: `mutation { renameSession(id: "${id}", title: "Asthma review") { id } }` }, world.tokens.clinician);
    expect(renamed.body).toEqual({ data: { renameSession: { id } } });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the pub/sub message reaches replica B

    const fresh = await ask(replicaA, world.tokens.clinician, id);
    expect(fresh.headers.get('x-cache')).toBe('MISS');
    const expected = { session: { title: 'Asthma review', patient: { allergies: [{ substance: 'penicillin' }] } } };
    expect(fresh.body.data).toEqual(expected);
    // Had B kept its in-memory copy, it would answer the old title.
    const fromB = await ask(replicaB, world.tokens.clinician, id);
    expect(fromB.headers.get('x-cache')).toBe('HIT');
    expect(fromB.body.data).toEqual(expected);
  });

  it('does not cache a response with errors', async () => {
    const missing = `${world.id}nope`;
    const first = await ask(replicaA, world.tokens.clinician, missing);
    expect(first.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const second = await ask(replicaA, world.tokens.clinician, missing);
    expect(second.headers.get('x-cache')).toBeNull();
    expect(second.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('reports the hit ratio in metrics', async () => {
    const text = await (await fetch(replicaA.url.replace('/graphql', '/metrics'))).text();
    const hits = Number(/gateway_response_cache_lookups_total\{result="hit"\} (\d+)/.exec(text)?.[1]);
    const misses = Number(/gateway_response_cache_lookups_total\{result="miss"\} (\d+)/.exec(text)?.[1]);
    expect([hits, misses]).toEqual([2, 7]);
  });

  // after the metrics case: it counts this file's lookups before it
  it('never serves an answer cached before a migration stage change, on any replica', async () => {
    const id = `${world.id}s2`;
    await ask(replicaA, world.tokens.clinician, id);
    expect((await ask(replicaB, world.tokens.clinician, id)).headers.get('x-cache')).toBe('HIT');
    // what an operations replica announces when a stage changes (lib/stage-epoch)
    const redis = new Redis(world.config.redis.url);
    try {
      await publishStageEpoch(redis, world.config.eventStreamPrefix, `${Date.now()}|sessions:live:1`);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the announcement reaches both replicas
      // B held the answer in its own memory too: neither copy is served, the subgraph answers again, and that answer is shared
      expect((await ask(replicaB, world.tokens.clinician, id)).headers.get('x-cache')).toBe('MISS');
      expect((await ask(replicaA, world.tokens.clinician, id)).headers.get('x-cache')).toBe('HIT');
      // an older epoch announced late changes nothing: the answers cached under the newer one stay
      await publishStageEpoch(redis, world.config.eventStreamPrefix, '1|sessions:legacy:1');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await ask(replicaA, world.tokens.clinician, id)).headers.get('x-cache')).toBe('HIT');
    } finally {
      await redis.del(`${world.config.eventStreamPrefix}:migration:stage-epoch`);
      redis.disconnect();
    }
  });

  it('by default stores an answer at its second miss, counted over the replicas, and serves it from then on', async () => {
    const id = `${world.id}s2`;
    const [first, second] = [await world.startGateway({ settings: { ...world.config.gateway, responseCacheAdmitAfter: 2 } }), await world.startGateway({ settings: { ...world.config.gateway, responseCacheAdmitAfter: 2 } })];
    // an operation no case before asked, so nothing of it is stored yet
    const title = (gateway: ServiceHandle) => postGraphQL(gateway.url, { query: 'query Admitted($id: ID!) { session(id: $id) { title } }', variables: { id } }, world.tokens.patientB);
    expect((await title(first)).headers.get('x-cache')).toBe('MISS');
    // nothing stored after one miss: a miss again, on the other replica, and this one is stored
    const stored = await title(second);
    expect([stored.headers.get('x-cache'), stored.body.data]).toEqual(['MISS', { session: { title: 'Migraine intake' } }]);
    const hit = await title(first);
    expect([hit.headers.get('x-cache'), hit.body]).toEqual(['HIT', stored.body]);
    expect((await title(second)).headers.get('x-cache')).toBe('HIT');
  });
});
