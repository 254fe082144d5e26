import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../../lib/http-server.js';
import { composeSupergraph } from '../../gateway/compose.js';
import { fixtureSubgraphSdl, startFixtureSubgraph } from './fixture-subgraphs.js';
import { config, postGraphQL, startFixtureWorld, type FixtureWorld } from './support.js';

describe('supergraph hot reload', () => {
  let world: FixtureWorld;
  let gateway: ServiceHandle;
  let notes: ServiceHandle;

  beforeAll(async () => {
    world = await startFixtureWorld(['sessions', 'patients']);
    gateway = await world.startGateway({ settings: { responseCache: false } });
    notes = await startFixtureSubgraph(config, 'notes', world.state);
  });
  afterAll(async () => {
    await world.stop();
    await notes.stop();
  });

  it('serves a new supergraph written to its file without dropping requests in flight', async () => {
    const title = { query: `{ session(id: "${world.id}s1") { title } }` };
    const before = await postGraphQL(gateway.url, { query: `{ session(id: "${world.id}s1") { summary } }` }, world.tokens.clinician);
    expect(before.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    let running = true;
    const statuses: number[] = [];
    const load = (async () => {
      while (running || statuses.length < 20) {
        const reply = await postGraphQL(gateway.url, title, world.tokens.clinician);
        statuses.push(reply.body.errors ? -reply.status : reply.status);
      }
    })();
    await writeFile(world.supergraphFile, composeSupergraph(fixtureSubgraphSdl({ ...world.subgraphs, notes })));

    let summary: unknown;
    for (let attempt = 0; attempt < 50 && summary === undefined; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const reply = await postGraphQL(gateway.url, { query: `{ session(id: "${world.id}s1") { summary } }` }, world.tokens.clinician);
      summary = (reply.body.data?.session as { summary?: string } | undefined)?.summary;
    }
    running = false;
    await load;
    expect(summary).toBe(`summary of ${world.id}s1`);
    expect(statuses.length).toBeGreaterThanOrEqual(20);
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  it('keeps serving the previous supergraph when the new file is invalid', async () => {
    await writeFile(world.supergraphFile, 'this is not a supergraph');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const reply = await postGraphQL(gateway.url, { query: `{ session(id: "${world.id}s1") { title summary } }` }, world.tokens.clinician);
    expect(reply.body).toEqual({ data: { session: { title: 'Asthma follow-up', summary: `summary of ${world.id}s1` } } });
  });
});

describe('the response cache across a supergraph reload', () => {
  let world: FixtureWorld;
  let gateway: ServiceHandle;
  let notes: ServiceHandle;

  beforeAll(async () => {
    world = await startFixtureWorld(['sessions', 'patients']);
    gateway = await world.startGateway({ settings: { responseCache: true } });
    notes = await startFixtureSubgraph(config, 'notes', world.state);
  });
  afterAll(async () => {
    await world.stop();
    await notes.stop();
  });

  it('never serves an answer cached under the previous supergraph', async () => {
    const title = { query: `{ session(id: "${world.id}s1") { title } }` };
    const ask = async () => (await postGraphQL(gateway.url, title, world.tokens.clinician)).headers.get('x-cache');
    expect([await ask(), await ask()]).toEqual(['MISS', 'HIT']);

    await writeFile(world.supergraphFile, composeSupergraph(fixtureSubgraphSdl({ ...world.subgraphs, notes })));
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const reply = await postGraphQL(gateway.url, { query: `{ session(id: "${world.id}s1") { summary } }` }, world.tokens.clinician);
      if (reply.body.data) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([await ask(), await ask()]).toEqual(['MISS', 'HIT']);
  });
});
