import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { serveGraphQL, type ServiceHandle } from '../../lib/http-server.js';
import { createNeo4jDriver } from '../../subgraphs/knowledge/store/driver.js';
import { upsertEntities } from '../../subgraphs/knowledge/store/seed-writes.js';
import { observeStatements } from './support/counting-driver.js';
import { removeTestData, startKnowledgeFixture } from './support/knowledge-fixture.js';
import { createSmallGraph } from './support/small-graph.js';

type Fixture = Awaited<ReturnType<typeof startKnowledgeFixture>>;
let kg: Fixture;
let observed: ReturnType<typeof observeStatements>;
let observedDriverClose: () => Promise<void>;
let mentions: ServiceHandle;
let gateway: ApolloServer<{ authorization: string }>;
let id: (name: string) => string;
const entityCount = 100;

/** A stand-in for the operations subgraph: messages that mention knowledge entities by reference. */
async function startMentionsSubgraph(entityIds: string[]): Promise<ServiceHandle> {
  const typeDefs = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Message @key(fields: "id") { id: ID!, mentions: [MedicalEntity!]! }
    type MedicalEntity @key(fields: "id", resolvable: false) { id: ID! }
    type Patient @key(fields: "id", resolvable: false) { id: ID! }
    type Session @key(fields: "id") { id: ID!, patient: Patient! }
    type Query { testMessage: Message!, testSessions: [Session!]! }
  `);
  const resolvers = {
    Query: {
      testMessage: () => ({ id: 'm1', mentions: entityIds.map((entityId) => ({ id: entityId })) }),
      testSessions: () => [{ id: 's1', patient: { id: id('patient-1') } }, { id: 's2', patient: { id: id('no-such-patient') } }],
    },
  };
  const apollo = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers }), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  return serveGraphQL({ name: 'mentions', apollo, port: 0, context: async () => ({}) });
}

beforeAll(async () => {
  const realDriver = createNeo4jDriver(loadConfig().neo4j);
  observed = observeStatements(realDriver);
  observedDriverClose = () => realDriver.close();
  kg = await startKnowledgeFixture({ driver: observed.driver });
  ({ id } = await createSmallGraph(kg.driver, kg.prefix));
  const many = Array.from({ length: entityCount }, (_, index) => ({
    id: id(`bulk-${index}`), name: `Bulk entity ${index}`, type: 'SYMPTOM' as const, description: 'generated', layer: 'PERCEPTION' as const, confidence: 0.3,
  }));
  await upsertEntities(kg.driver, many);
  mentions = await startMentionsSubgraph(many.map((entity) => entity.id));
  const gatewayInstance = new ApolloGateway({
    // `_service` needs a token, like every other field of a subgraph
    supergraphSdl: new IntrospectAndCompose({
      subgraphs: [{ name: 'knowledge', url: kg.service.url }, { name: 'mentions', url: mentions.url }],
      introspectionHeaders: { authorization: `Bearer ${await kg.tokenFor('service')}` },
    }),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<{ authorization: string }>({
        url,
        // Composition introspects without a request context: only real requests carry a token.
        willSendRequest: ({ request, context }) => {
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
        },
      }),
  });
  gateway = new ApolloServer({ gateway: gatewayInstance });
  await gateway.start();
});

afterAll(async () => {
  await gateway.stop();
  await mentions.stop();
  await removeTestData(kg.driver, kg.prefix);
  await kg.stop();
  await observedDriverClose();
});

async function viaGateway(query: string, role: 'clinician' | 'patient' = 'clinician', patientId?: string) {
  const authorization = `Bearer ${await kg.tokenFor(role, patientId)}`;
  const response = await gateway.executeOperation({ query }, { contextValue: { authorization } });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult;
}

describe('knowledge entities in a composed gateway', () => {
  it('resolves 100 MedicalEntity references with one Cypher statement', async () => {
    await viaGateway('{ testMessage { id } }');
    observed.statements.length = 0;
    const result = await viaGateway('{ testMessage { mentions { id name type layer } } }');
    const mentioned = (result.data as { testMessage: { mentions: { id: string; name: string; type: string; layer: string }[] } }).testMessage.mentions;
    expect(result.errors).toBeUndefined();
    expect(mentioned).toHaveLength(entityCount);
    expect(mentioned[42]).toEqual({ id: id('bulk-42'), name: 'Bulk entity 42', type: 'SYMPTOM', layer: 'PERCEPTION' });
    expect(observed.statements).toHaveLength(1);
    expect(observed.statements[0]).toContain('IN $');
  });

  it('resolves a known patient with records and an unknown one as a patient with empty records', async () => {
    const result = await viaGateway('{ testSessions { id patient { id diagnoses { condition } medications { name } allergies { substance } } } }');
    expect(result).toEqual({
      data: {
        testSessions: [
          { id: 's1', patient: { id: id('patient-1'), diagnoses: [{ condition: 'Crohn disease' }], medications: [{ name: 'Infliximab' }], allergies: [{ substance: 'Penicillin' }] } },
          { id: 's2', patient: { id: id('no-such-patient'), diagnoses: [], medications: [], allergies: [] } },
        ],
      },
    });
  });

  it('batches a direct _entities call of 100 representations, aliases and unknown ids included, into one statement', async () => {
    const representations = [...Array.from({ length: 99 }, (_, index) => ({ __typename: 'MedicalEntity', id: id(`bulk-${index}`) })), { __typename: 'MedicalEntity', id: id('unknown') }];
    observed.statements.length = 0;
    const result = await kg.query<{ _entities: ({ id: string; label: string } | null)[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalEntity { id label: name } } }',
      { r: representations },
    );
    expect(observed.statements).toHaveLength(1);
    expect(result.data?._entities).toHaveLength(100);
    expect(result.data?._entities[7]).toEqual({ id: id('bulk-7'), label: 'Bulk entity 7' });
    expect(result.data?._entities[99]).toBeNull();
  });
});
