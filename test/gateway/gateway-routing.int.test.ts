import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../lib/auth.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { startFixtureSubgraph } from './fixture-subgraphs.js';
import { config, postGraphQL, startFixtureWorld, type FixtureWorld } from './support.js';

const sessionQuery = 'query Session($id: ID!) { session(id: $id) { title patient { allergies { substance } } summary } }';

describe('gateway routing, auth and failures', () => {
  let world: FixtureWorld;
  let gateway: ServiceHandle;
  const base = () => gateway.url.replace(/\/graphql$/, '');

  beforeAll(async () => {
    world = await startFixtureWorld();
    gateway = await world.startGateway({ settings: { subgraphTimeoutMs: 300, responseCache: false } });
  });
  afterAll(() => world.stop());

  it('answers a query across three subgraphs in one request', async () => {
    const reply = await postGraphQL(gateway.url, { query: sessionQuery, variables: { id: `${world.id}s1` } }, world.tokens.patientA);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      data: { session: { title: 'Asthma follow-up', patient: { allergies: [{ substance: 'penicillin' }] }, summary: `summary of ${world.id}s1` } },
    });
  });

  it('publishes one query.completed event per operation with its duration and the subgraphs it touched', async () => {
    const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
    try {
      const stream = `${world.config.eventStreamPrefix}:analytics`;
      let entries: [string, string[]][] = [];
      for (let attempt = 0; attempt < 20 && entries.length === 0; attempt += 1) {
        entries = await redis.xrange(stream, '-', '+');
        if (entries.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(entries).toHaveLength(1);
      const fields = entries[0]?.[1] ?? [];
      expect(fields[fields.indexOf('type') + 1]).toBe('query.completed');
      const payload = JSON.parse(fields[fields.indexOf('payload') + 1] ?? '{}') as Record<string, unknown>;
      expect(payload).toMatchObject({ operationName: 'Session', cacheHit: false, hasErrors: false, patientId: `${world.id}pA`, subgraphs: ['notes', 'patients', 'sessions'] });
      expect(payload.queryHash).toMatch(/^[0-9a-f]{64}$/);
      expect(payload.durationMs).toBeGreaterThan(0);
      await redis.del(stream);
    } finally {
      await redis.quit();
    }
  });

  it('answers 401 without a token, with an expired one, and with a malformed header', async () => {
    const expired = await signDevToken(config.auth, { sub: 'late', role: 'clinician' }, Math.floor(Date.now() / 1000) - 60);
    for (const token of [undefined, expired]) {
      const reply = await postGraphQL(gateway.url, { query: '{ echoHeaders }' }, token);
      expect(reply.status).toBe(401);
      expect(reply.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(reply.body.data).toBeUndefined();
    }
    const malformed = await postGraphQL(gateway.url, { query: '{ echoHeaders }' }, undefined, { authorization: 'Basic abc' });
    expect(malformed.status).toBe(401);
  });

  it('keeps health endpoints and the playground open without a token', async () => {
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    const playground = await fetch(`${base()}/playground`);
    expect(playground.status).toBe(200);
    expect(playground.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('forwards the Authorization header and the request id to subgraphs', async () => {
    const reply = await postGraphQL(gateway.url, { query: '{ echoHeaders }' }, world.tokens.clinician, { 'x-request-id': 'req-42' });
    expect(reply.body.data).toEqual({ echoHeaders: [`Bearer ${world.tokens.clinician}`, 'req-42'] });
  });

  it("passes a subgraph's FORBIDDEN through: patient A cannot read patient B's session", async () => {
    const reply = await postGraphQL(gateway.url, { query: sessionQuery, variables: { id: `${world.id}s2` } }, world.tokens.patientA);
    expect(reply.body.data).toEqual({ session: null });
    expect(reply.body.errors).toEqual([
      { message: 'Not your session', path: ['session'], extensions: { code: 'FORBIDDEN', subgraph: 'sessions' } },
    ]);
  });

  it('returns the rest of the response when a subgraph is too slow, naming it', async () => {
    world.state.notesDelayMs = 1000;
    try {
      const reply = await postGraphQL(gateway.url, { query: sessionQuery, variables: { id: `${world.id}s1` } }, world.tokens.clinician);
      expect(reply.body.data).toEqual({ session: { title: 'Asthma follow-up', patient: { allergies: [{ substance: 'penicillin' }] }, summary: null } });
      expect(reply.body.errors?.map((error) => [error.message, error.extensions?.code, error.extensions?.subgraph])).toEqual([
        ['Subgraph "notes" did not answer within 300 ms', 'UNAVAILABLE', 'notes'],
      ]);
    } finally {
      world.state.notesDelayMs = 0;
    }
  });

  it('survives a subgraph killed mid-test and recovers without restart when it comes back', async () => {
    const port = world.subgraphs.notes.port;
    await world.subgraphs.notes.stop();
    const down = await postGraphQL(gateway.url, { query: sessionQuery, variables: { id: `${world.id}s1` } }, world.tokens.clinician);
    expect(down.body.data).toEqual({ session: { title: 'Asthma follow-up', patient: { allergies: [{ substance: 'penicillin' }] }, summary: null } });
    expect(down.body.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['Subgraph "notes" is unreachable', 'UNAVAILABLE']]);
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, boolean> }).checks).toEqual({
      redis: true,
      'subgraph:sessions': true,
      'subgraph:patients': true,
      'subgraph:notes': false,
    });

    world.subgraphs.notes = await startFixtureSubgraph(config, 'notes', world.state, port);
    const up = await postGraphQL(gateway.url, { query: sessionQuery, variables: { id: `${world.id}s1` } }, world.tokens.clinician);
    expect(up.body).toEqual({
      data: { session: { title: 'Asthma follow-up', patient: { allergies: [{ substance: 'penicillin' }] }, summary: `summary of ${world.id}s1` } },
    });
    expect((await fetch(`${base()}/readyz`)).status).toBe(200);
  });

  it('exposes Prometheus metrics per operation and per subgraph', async () => {
    const text = await (await fetch(`${base()}/metrics`)).text();
    expect(text).toMatch(/gateway_request_duration_seconds_count\{operation="Session"\} \d+/);
    expect(text).toMatch(/gateway_requests_total\{operation="Session",outcome="ok"\} \d+/);
    expect(text).toMatch(/gateway_subgraph_fetch_duration_seconds_count\{subgraph="notes"\} \d+/);
    expect(text).toContain('gateway_subgraph_errors_total{subgraph="notes",reason="timeout"} 1');
    expect(text).toContain('gateway_subgraph_errors_total{subgraph="notes",reason="unreachable"} 1');
  });
});
