import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../../lib/http-server.js';
import { postGraphQL } from './support.js';
import { crossStoreQuery } from '../../bench/gateway/cross-store.js';
import { startCrohnSession, startRealWorld, type RealWorld } from './real-world.js';

/** The response cache over the real subgraphs: their cache hints decide what is stored, and for whom. */
describe('gateway response cache over the real subgraphs', () => {
  let world: RealWorld;
  let gateway: ServiceHandle;
  let sessionId = '';

  beforeAll(async () => {
    world = await startRealWorld();
    gateway = await world.startGateway({ settings: { responseCache: true } });
    sessionId = await startCrohnSession(world, gateway.url);
  });
  afterAll(() => world?.stop());

  const ask = (query: string, variables: Record<string, unknown>, token: string) => postGraphQL(gateway.url, { query, variables }, token);

  it('caches the cross-store query PRIVATE for its caller: the second call is a hit with the same answer', async () => {
    const first = await ask(crossStoreQuery, { id: sessionId }, world.tokens.a);
    expect(first.body.errors).toBeUndefined();
    expect(first.headers.get('x-cache')).toBe('MISS');
    // Sessions and patient records are PRIVATE for 30 s (this world indexes no documents, so no
    // passage brings in the 5 s Document fields); the gateway keeps the strictest subgraph hint.
    expect(first.headers.get('cache-control')).toBe('max-age=30, private');
    const second = await ask(crossStoreQuery, { id: sessionId }, world.tokens.a);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.body).toEqual(first.body);
    expect((second.body.data?.session as { title: string }).title).toBe('Crohn follow-up');
  });

  it("never serves patient A's cached session to patient B, who still gets FORBIDDEN", async () => {
    const query = 'query ($id: ID!) { session(id: $id) { title patient { allergies { substance } } } }';
    expect((await ask(query, { id: sessionId }, world.tokens.a)).headers.get('x-cache')).toBe('MISS');
    expect((await ask(query, { id: sessionId }, world.tokens.a)).headers.get('x-cache')).toBe('HIT');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const intruder = await ask(query, { id: sessionId }, world.tokens.b);
      expect(intruder.headers.get('x-cache')).toBeNull();
      expect(intruder.body).toEqual({
        errors: [{ message: `You may not access the data of patient ${world.patientA}`, path: ['session'], extensions: { code: 'FORBIDDEN', subgraph: 'operations' } }],
        data: { session: null },
      });
    }
  });

  it('shares nothing PRIVATE between two callers of the same role', async () => {
    const query = 'query ($p: ID!) { patient(id: $p) { allergies { substance } } }';
    const own = await ask(query, { p: world.patientA }, world.tokens.a);
    expect(own.body).toEqual({ data: { patient: { allergies: [{ substance: 'Penicillin' }] } } });
    expect(own.headers.get('cache-control')).toBe('max-age=30, private');
    expect((await ask(query, { p: world.patientA }, world.tokens.a)).headers.get('x-cache')).toBe('HIT');
    const other = await ask(query, { p: world.patientA }, world.tokens.b);
    expect(other.headers.get('x-cache')).toBe('MISS');
    expect(other.body).toEqual({ data: { patient: null } });
  });

  it('caches PUBLIC knowledge for a minute', async () => {
    const query = 'query ($id: ID!) { medicalEntity(id: $id) { name relations(types: ["TREATS"]) { target { name } } } }';
    const first = await ask(query, { id: `${world.prefix}infliximab` }, world.tokens.clinician);
    expect(first.headers.get('cache-control')).toBe('max-age=60, public');
    expect(first.body).toEqual({ data: { medicalEntity: { name: `Infliximab ${world.prefix}`, relations: [{ target: { name: `Crohn disease ${world.prefix}` } }] } } });
    expect((await ask(query, { id: `${world.prefix}infliximab` }, world.tokens.clinician)).headers.get('x-cache')).toBe('HIT');
  });

  it('a mutation invalidates the cached session: the next read shows the new title', async () => {
    const query = 'query ($id: ID!) { session(id: $id) { id title } }';
    expect((await ask(query, { id: sessionId }, world.tokens.a)).headers.get('x-cache')).toBe('MISS');
    expect((await ask(query, { id: sessionId }, world.tokens.a)).headers.get('x-cache')).toBe('HIT');
    const renamed = await ask('mutation ($id: ID!) { renameSession(id: $id, title: "Crohn review") { id } }', { id: sessionId }, world.tokens.a);
    expect(renamed.body).toEqual({ data: { renameSession: { id: sessionId } } });
    expect(renamed.headers.get('x-cache')).toBeNull();
    const fresh = await ask(query, { id: sessionId }, world.tokens.a);
    expect(fresh.headers.get('x-cache')).toBe('MISS');
    expect(fresh.body).toEqual({ data: { session: { id: sessionId, title: 'Crohn review' } } });
  });
});
