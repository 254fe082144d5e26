import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../../lib/http-server.js';
import { postGraphQL } from './support.js';
import { crossStoreQuery } from '../../bench/gateway/cross-store.js';
import { startCrohnSession, startRealWorld, type RealWorld } from './real-world.js';

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
    gateway = await world.startGateway({ settings: { responseCache: false } });
    sessionId = await startCrohnSession(world, gateway.url);
    await ingestKnownDocument();
  }, 120_000);
  afterAll(() => world?.stop());

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
