import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../lib/auth.js';
import type { Config } from '../../lib/config.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { composeSupergraph } from '../../gateway/compose.js';
import { startGateway } from '../../gateway/server.js';
import { startKnowledge } from '../../subgraphs/knowledge/server.js';
import { loadKnowledgeSubgraphSdl } from '../../subgraphs/knowledge/sdl.js';
import { createNeo4jDriver } from '../../subgraphs/knowledge/store/driver.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { loadOperationsSubgraphSdl } from '../../subgraphs/operations/sdl.js';
import { startSearch } from '../../subgraphs/search/server.js';
import { loadSearchSubgraphSdl } from '../../subgraphs/search/sdl.js';
import { createCollectionNames } from '../../subgraphs/search/store/qdrant.js';
import { createSmallGraph } from '../knowledge/support/small-graph.js';
import { config as baseConfig, postGraphQL } from './support.js';

/** The three real subgraphs on port 0 over the real stores, composed and served by the gateway. */
describe('gateway over the real subgraphs', () => {
  const prefix = `gw${randomUUID().slice(0, 8)}-`;
  // Own streams and (empty) Qdrant collections, so other test files' data never shows up here.
  const config: Config = { ...baseConfig, eventStreamPrefix: `test-${prefix}`, qdrant: { ...baseConfig.qdrant, collectionPrefix: `t_${prefix.replace(/-/g, '')}_` } };
  const driver = createNeo4jDriver(config.neo4j);
  const services: ServiceHandle[] = [];
  let gateway: ServiceHandle;
  const tokens = { a: '', b: '', clinician: '' };
  let sessionId = '';

  const patientA = `${prefix}patient-1`;
  const patientB = `${prefix}patient-2`;

  beforeAll(async () => {
    await createSmallGraph(driver, prefix);
    const knowledge = await startKnowledge(config, 0, { driver, consumeFeedback: false });
    const operations = await startOperations(config, 0);
    const search = await startSearch(config, 0, { consumers: false });
    services.push(knowledge, operations, search);
    const file = join(await mkdtemp(join(tmpdir(), 'gateway-real-')), 'supergraph.graphql');
    await writeFile(
      file,
      composeSupergraph([
        { name: 'knowledge', url: knowledge.url, sdl: await loadKnowledgeSubgraphSdl() },
        { name: 'operations', url: operations.url, sdl: await loadOperationsSubgraphSdl() },
        { name: 'search', url: search.url, sdl: await loadSearchSubgraphSdl() },
      ]),
    );
    gateway = await startGateway(config, { port: 0, supergraph: { file }, redisPrefix: `gw-test:${prefix}`, settings: { responseCache: false } });
    tokens.a = await signDevToken(config.auth, { sub: `${prefix}a`, role: 'patient', patientId: patientA });
    tokens.b = await signDevToken(config.auth, { sub: `${prefix}b`, role: 'patient', patientId: patientB });
    tokens.clinician = await signDevToken(config.auth, { sub: `${prefix}doc`, role: 'clinician' });

    const started = await postGraphQL(gateway.url, { query: 'mutation ($p: ID!) { startSession(input: { patientId: $p, title: "Crohn follow-up" }) { id } }', variables: { p: patientA } }, tokens.a);
    sessionId = (started.body.data?.startSession as { id: string }).id;
    const posted = await postGraphQL(
      gateway.url,
      {
        query: 'mutation ($s: ID!, $m: [ID!]) { postMessage(input: { sessionId: $s, role: USER, content: "Is infliximab still right for my Crohn disease?", mentions: $m }) { id } }',
        variables: { s: sessionId, m: [`${prefix}infliximab`] },
      },
      tokens.a,
    );
    expect(posted.body.errors).toBeUndefined();
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(services.map((service) => service.stop()));
    await driver.close();
    for (const name of Object.values(createCollectionNames(config.qdrant.collectionPrefix))) {
      await fetch(`${config.qdrant.url}/collections/${name}`, { method: 'DELETE' });
    }
  });

  const crossStore = `query ($id: ID!) { session(id: $id) { title patient { allergies { substance } }
    messages(first: 20) { edges { node { content
      mentions { name type layer relations(types: ["TREATS"]) { target { name } } }
      supportingPassages(k: 3) { score chunk { text document { title quality { compositeScore } } } } } } } } }`;

  it('answers the cross-store session query in one request', async () => {
    const reply = await postGraphQL(gateway.url, { query: crossStore, variables: { id: sessionId } }, tokens.a);
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
                  mentions: [{ name: `Infliximab ${prefix}`, type: 'DRUG', layer: 'REASONING', relations: [{ target: { name: `Crohn disease ${prefix}` } }] }],
                  // This test's collections hold no documents: the field resolves, with nothing to support.
                  supportingPassages: [],
                },
              },
            ],
          },
        },
      },
    });
  });

  it("refuses patient B patient A's data on every path", async () => {
    const denied = (field: string) => ({
      message: `You may not access the data of patient ${patientA}`,
      path: [field],
      extensions: { code: 'FORBIDDEN', subgraph: 'operations' },
    });
    const session = await postGraphQL(gateway.url, { query: crossStore, variables: { id: sessionId } }, tokens.b);
    expect(session.body).toEqual({ errors: [denied('session')], data: { session: null } });
    const sessions = await postGraphQL(gateway.url, { query: 'query ($p: ID!) { sessions(patientId: $p) { totalCount } }', variables: { p: patientA } }, tokens.b);
    expect(sessions.body).toEqual({ errors: [denied('sessions')], data: null });
    const search = await postGraphQL(gateway.url, { query: 'query ($p: ID!) { searchMessages(patientId: $p, text: "infliximab") { snippet } }', variables: { p: patientA } }, tokens.b);
    expect(search.body).toEqual({ errors: [denied('searchMessages')], data: null });
    // knowledge answers another patient's record as absent rather than forbidden: nothing leaks either way.
    const patient = await postGraphQL(gateway.url, { query: 'query ($p: ID!) { patient(id: $p) { allergies { substance } } }', variables: { p: patientA } }, tokens.b);
    expect(patient.body).toEqual({ data: { patient: null } });
    const own = await postGraphQL(gateway.url, { query: '{ patients { id } }' }, tokens.b);
    expect(own.body.data).toEqual({ patients: [{ id: patientB }] });
  });
});
