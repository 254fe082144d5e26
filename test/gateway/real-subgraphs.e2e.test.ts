import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../../lib/http-server.js';
import { postGraphQL } from './support.js';
import { crossStoreQuery } from '../../bench/gateway/cross-store.js';
import { startCrohnSession, startRealWorld, type RealWorld } from './real-world.js';
import { Redis } from 'ioredis';
import { createLogger } from '../../lib/logger.js';
import { defaultSupportingPassages, supportingPassagesQuery } from '../../subgraphs/search/message-passage-query.js';
import { createPassageMemo } from '../../subgraphs/search/store/passage-memo.js';
import { createCollectionNames } from '../../subgraphs/search/store/qdrant.js';
import { waitFor } from '../search/support/search-env.js';

const treatment = ['# Infliximab in Crohn disease', 'Infliximab, an anti-TNF antibody, induces and maintains remission in moderate to severe Crohn disease; trough levels guide dosing every 8 weeks.'];
const allergy = ['# Penicillin allergy', 'Patients with a penicillin allergy report hives or anaphylaxis; skin testing clarifies whether beta-lactams are safe.'];
/** Two top-level sections: the chunker makes one chunk of each, heading and text on consecutive lines. */
const markdown = [...treatment, ...allergy].join('\n\n');
const chunkText = (section: string[]) => section.join('\n');

interface Hit {
  score: number;
  chunk: { text: string; document: { title: string; quality: { compositeScore: number } } };
}

/** The three real subgraphs on port 0 over the real stores, composed and served by the gateway. */
describe('gateway over the real subgraphs', () => {
  let world: RealWorld;
  let gateway: ServiceHandle;
  let sessionId = '';
  let redis: Redis;
  let document = { id: '', title: '', compositeScore: Number.NaN };

  /** Ingests through operations' ingestDocument; the search consumer indexes it into this world's collections. */
  async function ingestKnownDocument(): Promise<void> {
    const title = `Crohn therapy notes ${world.prefix}`;
    const created = await postGraphQL(
      gateway.url,
      { query: 'mutation ($in: IngestDocumentInput!) { ingestDocument(input: $in) { id } }', variables: { in: { filename: `${world.prefix}crohn.md`, title, content: markdown } } },
      world.tokens.service,
    );
    const id = (created.body.data?.ingestDocument as { id: string }).id;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const read = await postGraphQL(gateway.url, { query: 'query ($id: ID!) { document(id: $id) { status chunkCount quality { compositeScore } } }', variables: { id } }, world.tokens.service);
      const row = read.body.data?.document as { status: string; chunkCount: number; quality: { compositeScore: number } | null };
      if (row.status === 'COMPLETED') {
        expect(row.chunkCount).toBe(2);
        document = { id, title, compositeScore: row.quality?.compositeScore ?? Number.NaN };
        return;
      }
      if (row.status === 'FAILED' || Date.now() > deadline) throw new Error(`ingestion of ${id} ended ${row.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    world = await startRealWorld({ ingest: true });
    redis = new Redis(world.config.redis.url);
    gateway = await world.startGateway({ settings: { responseCache: false } });
    sessionId = await startCrohnSession(world, gateway.url);
    await ingestKnownDocument();
  }, 120_000);
  afterAll(async () => {
    redis?.disconnect();
    await world?.stop();
  });

  /** Passage searches the search subgraph answered from its memo so far. */
  async function passageMemoHits(): Promise<number> {
    const metrics = await (await fetch(world.subgraphUrls.search.replace(/\/graphql$/, '/metrics'))).text();
    return Number(metrics.split('\n').find((line) => line.startsWith('search_cache_lookups_total{cache="passages",result="hit"}'))?.split(' ')[1] ?? 0);
  }

  it('answers the cross-store session query in one request, with passages from the ingested document', async () => {
    // As the session's own patient, the web client's view: every store answers, documents included.
    const reply = await postGraphQL(gateway.url, { query: crossStoreQuery, variables: { id: sessionId } }, world.tokens.a);
    expect(reply.body.errors).toBeUndefined();
    const session = reply.body.data?.session as { messages: { edges: { node: { supportingPassages: Hit[] } }[] } };
    const passages = session.messages.edges[0]?.node.supportingPassages ?? [];
    expect(document.compositeScore).toBeGreaterThanOrEqual(0);
    expect(document.compositeScore).toBeLessThanOrEqual(1);
    // Two chunks in this world's index: both come back, the one about infliximab and Crohn first.
    expect(passages.map((hit) => hit.chunk)).toEqual([
      { text: chunkText(treatment), document: { title: document.title, quality: { compositeScore: document.compositeScore } } },
      { text: chunkText(allergy), document: { title: document.title, quality: { compositeScore: document.compositeScore } } },
    ]);
    const [top, next] = passages.map((hit) => hit.score);
    expect(top).toBeGreaterThan(next ?? 1);
    expect(top).toBeLessThanOrEqual(1);
    expect(reply.body).toEqual({
      data: {
        session: {
          title: 'Crohn follow-up',
          patient: { allergies: [{ substance: 'Penicillin' }] },
          messages: {
            edges: [
              {
                node: {
                  content: 'Is infliximab still right for my Crohn disease?',
                  mentions: [{ name: `Infliximab ${world.prefix}`, type: 'DRUG', layer: 'REASONING', relations: [{ target: { name: `Crohn disease ${world.prefix}` } }] }],
                  supportingPassages: passages,
                },
              },
            ],
          },
        },
      },
    });
  });

  it("sends the query's two parallel fetches from knowledge as one batch, and knowledge charges the caller for each", async () => {
    const batchedOperations = async () => {
      const metrics = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
      return Number(metrics.split('\n').find((line) => line.startsWith('gateway_subgraph_batched_operations_total{subgraph="knowledge"}'))?.split(' ')[1] ?? 0);
    };
    const charged = async () => Number((await redis.get(`sg:knowledge:rl:${world.prefix}a`)) ?? 0);
    const before = { batched: await batchedOperations(), charged: await charged() };
    const reply = await postGraphQL(gateway.url, { query: crossStoreQuery, variables: { id: sessionId } }, world.tokens.a);
    expect(reply.body.errors).toBeUndefined();
    const session = reply.body.data?.session as { patient: unknown; messages: { edges: { node: { mentions: { name: string }[] } }[] } };
    expect(session.patient).toEqual({ allergies: [{ substance: 'Penicillin' }] });
    expect(session.messages.edges[0]?.node.mentions.map((mention) => mention.name)).toEqual([`Infliximab ${world.prefix}`]);
    expect({ batched: (await batchedOperations()) - before.batched, charged: (await charged()) - before.charged }).toEqual({ batched: 2, charged: 2 });
  });

  it('holds a batch sent to a subgraph to the number of operations its request declares', async () => {
    const allergies = { query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { allergies { substance } } } }', variables: { r: [{ __typename: 'Patient', id: world.patientA }] } };
    const send = (body: unknown, declared?: string) =>
      fetch(world.subgraphUrls.knowledge, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${world.tokens.a}`, ...(declared ? { 'x-graphql-operations': declared } : {}) },
        body: JSON.stringify(body),
      });
    const batch = await send([allergies, allergies], '2');
    expect(batch.status).toBe(200);
    expect(await batch.json()).toEqual([0, 1].map(() => ({ data: { _entities: [{ allergies: [{ substance: 'Penicillin' }] }] } })));
    const undeclared = await send([allergies, allergies]);
    expect([undeclared.status, ((await undeclared.json()) as { errors: { message: string }[] }).errors[0]?.message]).toEqual([400, 'The request holds 2 operations but declares 1 in its x-graphql-operations header']);
    const tooMany = await send(Array.from({ length: 9 }, () => allergies), '9');
    expect([tooMany.status, ((await tooMany.json()) as { errors: { message: string }[] }).errors[0]?.message]).toEqual([400, 'The x-graphql-operations header must be a whole number from 1 to 8']);
  });

  it('computes a posted message\'s passages when it is written: its first read finds them remembered', async () => {
    const content = 'Should infliximab trough levels change my dosing interval?';
    const posted = await postGraphQL(
      gateway.url,
      { query: 'mutation ($s: ID!, $c: String!, $m: [ID!]) { postMessage(input: { sessionId: $s, role: USER, content: $c, mentions: $m }) { id } }', variables: { s: sessionId, c: content, m: [`${world.prefix}infliximab`] } },
      world.tokens.a,
    );
    expect(posted.body.errors).toBeUndefined();
    const memo = createPassageMemo({ redis, collection: createCollectionNames(world.config.qdrant.collectionPrefix).chunks, logger: createLogger(world.config, 'test') });
    const query = supportingPassagesQuery({ content, mentions: [{ id: `${world.prefix}infliximab` }] }, defaultSupportingPassages);
    if (!query) throw new Error('a message with text has a passage search');
    await waitFor(async () => (await memo.lookup([query])).results[0] !== undefined, 'the posted message\'s passages in the memo');
    const remembered = (await memo.lookup([query])).results[0] ?? [];
    expect(remembered.map((hit) => hit.point.payload.chunk_text)).toEqual([chunkText(treatment), chunkText(allergy)]);

    const hitsBefore = await passageMemoHits();
    const read = await postGraphQL(
      gateway.url,
      { query: 'query ($id: ID!) { session(id: $id) { messages(first: 10) { edges { node { content supportingPassages { score chunk { text } } } } } } }', variables: { id: sessionId } },
      world.tokens.a,
    );
    type Read = { session: { messages: { edges: { node: { content: string; supportingPassages: { score: number; chunk: { text: string } }[] } }[] } } };
    const node = (read.body.data as Read).session.messages.edges.find((edge) => edge.node.content === content)?.node;
    expect(node?.supportingPassages).toEqual(remembered.map((hit) => ({ score: hit.score, chunk: { text: hit.point.payload.chunk_text } })));
    // both messages of the session were remembered: the first since its read above, the new one since it was written
    expect((await passageMemoHits()) - hitsBefore).toBe(2);
  });

  it("refuses patient B patient A's data on every path", async () => {
    const { patientA, patientB, tokens } = world;
    const ask = (query: string, variables: Record<string, unknown> = {}) => postGraphQL(gateway.url, { query, variables }, tokens.b);
    const denied = (field: string) => ({
      message: `You may not access the data of patient ${patientA}`,
      path: [field],
      extensions: { code: 'FORBIDDEN', subgraph: 'operations' },
    });
    expect((await ask(crossStoreQuery, { id: sessionId })).body).toEqual({ errors: [denied('session')], data: { session: null } });
    expect((await ask('query ($p: ID!) { sessions(patientId: $p) { totalCount } }', { p: patientA })).body).toEqual({ errors: [denied('sessions')], data: null });
    expect((await ask('query ($p: ID!) { searchMessages(patientId: $p, text: "infliximab") { snippet } }', { p: patientA })).body).toEqual({ errors: [denied('searchMessages')], data: null });
    // knowledge answers another patient's record as absent rather than forbidden: nothing leaks either way.
    expect((await ask('query ($p: ID!) { patient(id: $p) { allergies { substance } } }', { p: patientA })).body).toEqual({ data: { patient: null } });
    expect((await ask('{ patients { id } }')).body.data).toEqual({ patients: [{ id: patientB }] });
  });
});
