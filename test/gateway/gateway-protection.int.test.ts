import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../lib/auth.js';
import { requestGraphQL } from '../../lib/graphql-client.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { config, postGraphQL, startFixtureWorld, type FixtureWorld } from './support.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('gateway protection', () => {
  let world: FixtureWorld;
  let gateway: ServiceHandle;
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });

  beforeAll(async () => {
    world = await startFixtureWorld(['sessions', 'patients']);
    gateway = await world.startGateway({
      settings: { responseCache: false }, limits: { maxDepth: 3, maxAliases: 2, maxCost: 40, maxBodyBytes: 2048 }, rateLimits: { gateway: 1000, windowSeconds: 60 },
    });
  });
  afterAll(async () => {
    await world.stop();
    await redis.quit();
  });

  it('rejects too deep and too aliased operations with HTTP 400 and the figures', async () => {
    const cases = [
      ['{ session(id: "x") { patient { allergies { substance } } } }', 'Operation depth 4 exceeds the limit of 3'],
      ['{ a: echoHeaders b: echoHeaders c: echoHeaders }', 'Operation aliases 3 exceeds the limit of 2'],
    ] as const;
    for (const [query, message] of cases) {
      const reply = await postGraphQL(gateway.url, { query }, world.tokens.clinician);
      expect(reply.status).toBe(400);
      expect(reply.body.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([[message, 'GRAPHQL_VALIDATION_FAILED']]);
    }
  });

  it('rejects a costly but shallow operation', async () => {
    const query = `{ ${Array.from({ length: 2 }, (_, i) => `s${i}: session(id: "${i}") { patient { allergies { substance } } }`).join(' ')} }`;
    const gatewayWide = await world.startGateway({ settings: { responseCache: false }, limits: { maxDepth: 10, maxAliases: 10, maxCost: 40, maxBodyBytes: 4096 } });
    const reply = await postGraphQL(gatewayWide.url, { query }, world.tokens.clinician);
    // per session: 1 + patient (1 + allergies: 10 x (1 + substance)) = 22; two of them
    expect(reply.body.errors?.map((error) => error.message)).toEqual(['Operation cost 44 exceeds the limit of 40']);
  });

  it('answers 413 to a body over the size limit', async () => {
    const reply = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${world.tokens.clinician}` },
      body: JSON.stringify({ query: `{ echoHeaders } # ${'x'.repeat(3000)}` }),
    });
    expect(reply.status).toBe(413);
  });

  it('rate-limits per identity in Redis with 429 and Retry-After, leaving others unaffected', async () => {
    const limited = await world.startGateway({ settings: { responseCache: false }, rateLimits: { gateway: 3, windowSeconds: 30 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await postGraphQL(limited.url, { query: '{ echoHeaders }' }, world.tokens.patientA)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const rejected = await postGraphQL(limited.url, { query: '{ echoHeaders }' }, world.tokens.patientA);
    expect(rejected.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const retryAfter = Number(rejected.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(29);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect((await postGraphQL(limited.url, { query: '{ echoHeaders }' }, world.tokens.patientB)).status).toBe(200);
    const metrics = await (await fetch(limited.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toContain('gateway_rate_limited_total 3');
  });

  it("lets a client told to wait out the rate limit send again after Retry-After (the demo seeding does)", async () => {
    const limited = await world.startGateway({ settings: { responseCache: false }, rateLimits: { gateway: 2, windowSeconds: 1 } });
    // an identity of its own: the other cases' windows are 30 and 60 s
    const token = await signDevToken(config.auth, { sub: `${world.id}seeder`, role: 'service' });
    const waits: number[] = [];
    const answers = [];
    for (let i = 0; i < 3; i += 1) {
      answers.push(await requestGraphQL<{ echoHeaders: string[] }>(limited.url, '{ echoHeaders }', {}, { token: token, onRateLimited: (seconds) => waits.push(seconds) }));
    }
    expect(waits).toEqual([1]);
    expect(answers.map((answer) => answer.echoHeaders[0])).toEqual(Array(3).fill(`Bearer ${token}`));
    await expect(requestGraphQL(limited.url, '{ echoHeaders }', {}, { token: token })).resolves.toBeDefined();
    await expect(requestGraphQL(limited.url, '{ echoHeaders }', {}, { token: token })).rejects.toThrow(/HTTP 429.*RATE_LIMITED/);
  });

  it('serves automatic persisted queries from Redis', async () => {
    const query = `query Apq { echoHeaders } # ${world.id}`;
    const persistedQuery = { version: 1, sha256Hash: sha256(query) };
    const first = await postGraphQL(gateway.url, { extensions: { persistedQuery } }, world.tokens.clinician);
    expect(first.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await postGraphQL(gateway.url, { query, extensions: { persistedQuery } }, world.tokens.clinician);
    expect(register.status).toBe(200);
    expect(await redis.get(`gw-test:${world.id}apq:apq:${persistedQuery.sha256Hash}`)).toBe(query);
    const byHash = await postGraphQL(gateway.url, { extensions: { persistedQuery } }, world.tokens.clinician);
    expect(byHash.body.data).toEqual({ echoHeaders: [`Bearer ${world.tokens.clinician}`, expect.any(String)] });
  });

  it('runs only safelisted operations when a safelist is configured', async () => {
    const allowed = '{ echoHeaders }';
    const dir = await mkdtemp(join(tmpdir(), 'safelist-'));
    const file = join(dir, 'safelist.txt');
    await writeFile(file, `# analysts' saved queries\n${sha256(allowed)}\n`);
    const strict = await world.startGateway({ settings: { responseCache: false, safelistFile: file } });
    expect((await postGraphQL(strict.url, { query: allowed }, world.tokens.clinician)).body.data).toEqual({
      echoHeaders: [`Bearer ${world.tokens.clinician}`, expect.any(String)],
    });
    const other = await postGraphQL(strict.url, { query: '{ echoHeaders __typename }' }, world.tokens.clinician);
    expect(other.status).toBe(403);
    expect(other.body.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
      ['This operation is not in the safelist of persisted operations', 'FORBIDDEN'],
    ]);
  });
});
