import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createCacheControlPlugin } from './cache-control-plugin.js';

// Hints of every kind the subgraphs use, and the ones they might: type and field hints, scopes,
// inheritMaxAge, an unhinted object type, entities of different policies.
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query {
    patient(id: ID!): Patient
    entity(id: ID!): Entity @cacheControl(maxAge: 120)
    note: Note
    version: String
    stamp: String @cacheControl(maxAge: 5)
  }
  type Mutation { touch: Boolean }
  type Patient @key(fields: "id") @cacheControl(maxAge: 30, scope: PRIVATE) {
    id: ID!
    name: String
    allergies: [Allergy!]!
    summary: Summary @cacheControl(inheritMaxAge: true)
  }
  type Allergy @cacheControl(maxAge: 20, scope: PRIVATE) { substance: String }
  type Summary { text: String }
  type Entity @key(fields: "id") @cacheControl(maxAge: 60) {
    id: ID!
    name: String
    related: [Entity!]!
    note: Note
    fresh: String @cacheControl(maxAge: 10)
  }
  type Note @key(fields: "id") { id: ID! text: String }
`);

const patient = { id: 'p1', name: 'P', allergies: [{ substance: 'Penicillin' }], summary: { text: 's' } };
const entity = { id: 'e1', name: 'E', related: [], note: { id: 'n1', text: 't' }, fresh: 'f' };
const resolvers = {
  Query: { patient: () => patient, entity: () => entity, note: () => ({ id: 'n1', text: 't' }), version: () => '1', stamp: () => 'now' },
  Mutation: { touch: () => true },
  Patient: { __resolveReference: () => patient },
  Entity: { __resolveReference: () => entity },
  Note: { __resolveReference: () => ({ id: 'n1', text: 't' }) },
};

async function serverWith(ours: boolean): Promise<ApolloServer> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs, resolvers }),
    allowBatchedHttpRequests: true,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ...(ours ? [ApolloServerPluginCacheControlDisabled(), createCacheControlPlugin()] : [])],
  });
  await server.start();
  return server;
}

async function cacheControl(server: ApolloServer, body: unknown): Promise<string | undefined> {
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body },
    context: async () => ({}),
  });
  return response.headers.get('cache-control');
}

const entities = (selection: string, representations: unknown[]) => ({ query: `query ($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, variables: { r: representations } });

const operations: Record<string, unknown> = {
  'a private type': { query: '{ patient(id: "p1") { id name } }' },
  'a nested type with a shorter max-age': { query: '{ patient(id: "p1") { allergies { substance } } }' },
  'a field that inherits its parent max-age': { query: '{ patient(id: "p1") { summary { text } } }' },
  'a field hint over a type hint': { query: '{ entity(id: "e1") { name } }' },
  'a scalar field hint': { query: '{ entity(id: "e1") { fresh } }' },
  'an unhinted object type': { query: '{ entity(id: "e1") { note { text } } }' },
  'a root scalar without a hint': { query: '{ version }' },
  'a root scalar with a hint': { query: '{ stamp }' },
  'only __typename': { query: '{ __typename }' },
  introspection: { query: '{ __schema { queryType { name } } }' },
  'a named fragment': { query: 'query Q { patient(id: "p1") { ...P } } fragment P on Patient { allergies { substance } }', operationName: 'Q' },
  'one of two operations by name': { query: 'query A { version } query B { stamp }', operationName: 'B' },
  'a mutation': { query: 'mutation { touch }' },
  'private entities': entities('... on Patient { name allergies { substance } }', [{ __typename: 'Patient', id: 'p1' }]),
  'public entities': entities('... on Entity { name related { name } }', [{ __typename: 'Entity', id: 'e1' }]),
  'entities without a hint': entities('... on Note { text }', [{ __typename: 'Note', id: 'n1' }]),
  'a document that does not parse': { query: '{ patient(' },
};

describe('the cache-control plugin', () => {
  it("sets the Cache-Control header Apollo's own plugin sets, operation by operation", async () => {
    const [apollo, ours] = await Promise.all([serverWith(false), serverWith(true)]);
    const headers = async (server: ApolloServer) => Object.fromEntries(await Promise.all(Object.entries(operations).map(async ([name, body]) => [name, await cacheControl(server, body)] as const)));
    const expected = await headers(apollo);
    expect(await headers(ours)).toEqual(expected);
    // the cases differ among themselves: the comparison is not between two constant answers
    expect(new Set(Object.values(expected))).toEqual(new Set(['max-age=30, private', 'max-age=20, private', 'max-age=120, public', 'max-age=10, public', 'no-store', 'max-age=5, public', 'max-age=60, public']));
    // a second request for a document already seen gets the same header
    expect(await cacheControl(ours, operations['a private type'])).toBe('max-age=30, private');
    await Promise.all([apollo.stop(), ours.stop()]);
  });

  it("gives a batch the header Apollo's plugin gives it: what every operation allows", async () => {
    const [apollo, ours] = await Promise.all([serverWith(false), serverWith(true)]);
    const batches = [
      [operations['a private type'], operations['public entities']],
      [operations['public entities'], operations['a scalar field hint']],
      [operations['a root scalar without a hint'], operations['a private type']],
    ];
    const apolloHeaders = await Promise.all(batches.map((batch) => cacheControl(apollo, batch)));
    expect(apolloHeaders).toEqual(['max-age=30, private', 'max-age=10, public', 'no-store']);
    expect(await Promise.all(batches.map((batch) => cacheControl(ours, batch)))).toEqual(apolloHeaders);
    await Promise.all([apollo.stop(), ours.stop()]);
  });
});
