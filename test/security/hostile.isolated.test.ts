import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQdrantClient, createCollectionNames } from '../../subgraphs/search/store/qdrant.js';
import { sendRawHttp } from '../support/raw-http.js';
import { buildHostileCatalog, type HostileRequest } from './hostile-catalog.js';
import { countEverything, startHostileWorld, targets, type HostileWorld, type Target } from './hostile-world.js';

/**
 * The hostile-input suite of the security issue: hundreds of requests an attacker would send,
 * with valid and forged tokens, to the gateway and to each subgraph directly, over the real
 * system in production mode. No answer may be a 5xx, carry internal text or take over a second,
 * and no row, node or point may change in any store. Runs alone (vitest project "isolated"), so
 * the store counts are this suite's.
 */
const internalText = /Internal (server )?error|INTERNAL_SERVER_ERROR|node_modules|\/work\/|\bat [\w.<>]+ \(|\.ts:\d+|Cypher|Neo4j|Failed query|drizzle|postgres|pg-pool|ECONNREFUSED|Did you mean/i;

interface Answer {
  status: number;
  body: string;
  ms: number;
}

async function send(world: HostileWorld, request: HostileRequest): Promise<Answer> {
  const url = new URL(world.urls[request.target]);
  const started = performance.now();
  if (request.raw) {
    const answer = await sendRawHttp(Number(url.port), request.raw);
    return { ...answer, ms: performance.now() - started };
  }
  const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const response = await fetch(new URL(request.path ?? '/graphql', url), { method: request.method ?? 'POST', headers: request.headers ?? {}, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, body: text, ms: performance.now() - started };
}

/** What is wrong with an answer, or nothing. */
function problemsOf(request: HostileRequest, answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500 || answer.status <= 0) problems.push(answer.status < 0 ? 'no answer within 3 s' : `status ${answer.status}`);
  const leak = internalText.exec(answer.body);
  if (leak) problems.push(`internal text "${leak[0]}"`);
  if (answer.ms > 1000) problems.push(`took ${Math.round(answer.ms)} ms`);
  if (request.expect?.status !== undefined && answer.status !== request.expect.status) problems.push(`status ${answer.status}, expected ${request.expect.status}`);
  if (request.expect?.code) {
    const codes = [...answer.body.matchAll(/"code":"([A-Z_]+)"/g)].map((match) => match[1]);
    const wanted = [request.expect.code].flat();
    if (!codes.some((code) => code !== undefined && wanted.includes(code))) problems.push(`codes ${codes.join(',') || 'none'}, expected ${wanted.join(' or ')}`);
  }
  return problems;
}

describe('hostile requests against the real system', () => {
  let world: HostileWorld;
  beforeAll(async () => {
    world = await startHostileWorld();
  }, 120_000);
  afterAll(async () => world?.stop());

  it('answers every one with a clear 4xx (or what the caller may see), never internal text, fast, changing nothing', async () => {
    const catalog = await buildHostileCatalog(world, targets);
    const names = new Set(catalog.map((request) => `${request.target} ${request.name}`));
    expect(names.size).toBe(catalog.length);
    const before = await countEverything(world);
    const answers: { request: HostileRequest; answer: Answer; problems: string[] }[] = [];
    for (const request of catalog) {
      const answer = await send(world, request);
      answers.push({ request, answer, problems: problemsOf(request, answer) });
    }
    const after = await countEverything(world);

    const perTarget = Object.fromEntries(targets.map((target) => [target, answers.filter(({ request }) => request.target === target).length])) as Record<Target, number>;
    const statuses: Record<number, number> = {};
    for (const { answer } of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const slowest = answers.reduce((worst, entry) => (entry.answer.ms > worst.answer.ms ? entry : worst));
    const findings = [...new Set(catalog.map((request) => request.finding))].sort((a, b) => a - b);
    console.log(
      [
        `hostile requests: ${catalog.length} (${targets.map((target) => `${target} ${perTarget[target]}`).join(', ')})`,
        `findings covered: ${findings.join(', ')}`,
        `statuses: ${Object.entries(statuses).map(([status, count]) => `${status} x${count}`).join(', ')}`,
        `slowest: ${Math.round(slowest.answer.ms)} ms (${slowest.request.target}: ${slowest.request.name})`,
      ].join('\n'),
    );
    expect(answers.filter((entry) => entry.problems.length > 0).map(({ request, problems, answer }) => `${request.target} [${request.finding}] ${request.name}: ${problems.join('; ')} :: ${answer.body.slice(0, 160)}`)).toEqual([]);
    expect(after).toEqual(before);
    for (const target of targets) expect(perTarget[target]).toBeGreaterThanOrEqual(150);
    expect(catalog.length).toBeGreaterThanOrEqual(300);
  }, 600_000);

  it('never serves one patient another’s answer from the cache, even under the same subject', async () => {
    const query = `query ($id: ID!) { patient(id: $id) { id diagnoses { condition } } sessions(patientId: $id) { edges { node { title } } } }`;
    const sameSub = `${world.prefix}shared-subject`;
    const asA = await world.sign({ sub: sameSub, role: 'patient', patientId: world.patientA });
    const asB = await world.sign({ sub: sameSub, role: 'patient', patientId: world.patientB });
    const ask = async (token: string, id: string) => {
      const response = await fetch(world.urls.gateway, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables: { id } }) });
      return { cache: response.headers.get('x-cache'), body: (await response.json()) as { data?: { patient?: { diagnoses: unknown[] } | null; sessions?: unknown } | null; errors?: unknown[] } };
    };
    const first = await ask(asA, world.patientA);
    const second = await ask(asA, world.patientA);
    expect([first.cache, second.cache]).toEqual(['MISS', 'HIT']);
    expect(first.body.data?.patient?.diagnoses).toEqual([{ condition: 'Crohn disease' }]);
    const intruder = await ask(asB, world.patientA);
    expect(intruder.cache).not.toBe('HIT');
    expect(JSON.stringify(intruder.body)).not.toContain('Crohn disease');
    expect(JSON.stringify(intruder.body)).not.toContain('Session 1');
  });

  it('limits requests without valid credentials per address, before verifying them, and keeps known callers in', async () => {
    const gateway = await world.startGateway({ rateLimits: { unauthenticatedPerAddress: 20, windowSeconds: 60 } });
    const post = (authorization?: string) =>
      fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify({ query: '{ __typename }' }) }).then((response) => response.status);
    const known = `Bearer ${world.tokens.clinician}`;
    expect(await post(known)).toBe(200);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 30; attempt += 1) statuses.push(await post(attempt % 2 ? 'Bearer forged.token.here' : undefined));
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(new Set(statuses.slice(20))).toEqual(new Set([429]));
    // a token verified moments ago still passes; a new one from this address waits for the window
    expect(await post(known)).toBe(200);
    expect(await post(`Bearer ${await world.sign({ sub: `${world.prefix}newcomer`, role: 'clinician' })}`)).toBe(429);
    const playground = await fetch(gateway.url.replace('/graphql', '/playground'));
    expect(playground.status).toBe(429);
    await playground.body?.cancel();
  });

  it('bounds the operation names it labels metrics with, and serves them to the metrics token only', async () => {
    for (let index = 0; index < 150; index += 1) {
      await fetch(world.urls.gateway, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${world.tokens.clinician}` }, body: JSON.stringify({ query: `query Name${index} { __typename }` }) });
    }
    const metrics = await fetch(world.urls.gateway.replace('/graphql', '/metrics'), { headers: { authorization: `Bearer ${world.metricsToken}` } });
    expect(metrics.status).toBe(200);
    const labels = new Set([...(await metrics.text()).matchAll(/gateway_requests_total\{operation="([^"]+)"/g)].map((match) => match[1]));
    // the first 100 names, `other` for the rest, `anonymous` for unnamed operations
    expect(labels.size).toBeLessThanOrEqual(102);
    expect(labels.has('other')).toBe(true);
  });

  it('keeps no patient’s search and no message content in the search query log', async () => {
    const marker = `${world.prefix}marker`;
    const search = (token: string, text: string) =>
      fetch(world.urls.search, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: 'query ($t: String!) { semanticSearch(text: $t, k: 1) { score } }', variables: { t: text } }) });
    await search(world.tokens.patient, `${marker} my own symptoms`);
    await search(world.tokens.clinician, `${marker} treatment options`);
    await fetch(world.urls.search, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${world.tokens.clinician}` },
      body: JSON.stringify({ query: `{ _entities(representations: [{ __typename: "Message", id: "m1", content: "${marker} private message" }]) { ... on Message { supportingPassages(k: 1) { score } } } }` }),
    });
    const qdrant = createQdrantClient(world.config.qdrant);
    const collection = createCollectionNames(world.config.qdrant.collectionPrefix).queries;
    let texts: string[] = [];
    for (let attempt = 0; attempt < 40 && texts.length === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const page = await qdrant.scroll(collection, { limit: 100, with_payload: true });
      texts = page.points.map((point) => String((point.payload as { text?: string }).text)).filter((text) => text.startsWith(marker));
    }
    expect(texts).toEqual([`${marker} treatment options`]);
  });
});
