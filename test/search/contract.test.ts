import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { buildSchema, findBreakingChanges, parse } from 'graphql';
import { describe, expect, it } from 'vitest';

/** Minimal owners of the entities search extends, shaped as in the contract. */
const knowledgeStub = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
enum Layer { PERCEPTION SEMANTIC REASONING APPLICATION }
enum EntityType { DISEASE TREATMENT SYMPTOM TEST DRUG GENE PATHWAY ORGANIZATION STUDY }
type MedicalEntity @key(fields: "id") { id: ID! name: String! type: EntityType! layer: Layer! }
type Query { medicalEntity(id: ID!): MedicalEntity }`;
const operationsStub = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Document @key(fields: "id") { id: ID! filename: String! }
type Message @key(fields: "id") { id: ID! content: String! }
type Query { document(id: ID!): Document message(id: ID!): Message }`;

const searchSdl = readFileSync(new URL('../../subgraphs/search/schema.graphql', import.meta.url), 'utf8');
const contract = buildSchema(readFileSync(new URL('../../../shared/contract.graphql', import.meta.url), 'utf8'));

describe('the search subgraph against the client contract', () => {
  it('composes with the owners of Document, Message and MedicalEntity', () => {
    const result = composeServices([
      { name: 'knowledge', url: 'http://knowledge', typeDefs: parse(knowledgeStub) },
      { name: 'operations', url: 'http://operations', typeDefs: parse(operationsStub) },
      { name: 'search', url: 'http://search', typeDefs: parse(searchSdl) },
    ]);
    expect(result.errors?.map((error) => error.message)).toBeUndefined();
    if (!result.schema) throw new Error('no supergraph');
    const api = result.schema.toAPISchema().toGraphQLJSSchema();
    const searchParts = /semanticSearch|ChunkFilter|SearchHit|Chunk\.|supportingPassages|similarEntities|Document\.chunks/;
    expect(findBreakingChanges(contract, api).map((change) => change.description).filter((text) => searchParts.test(text))).toEqual([]);
    expect(api.getQueryType()?.getFields().semanticSearch?.args.map((arg) => `${arg.name}: ${String(arg.type)} = ${String(arg.defaultValue)}`)).toEqual([
      'text: String! = undefined',
      'k: Int = 10',
      'filter: ChunkFilter = undefined',
    ]);
  });
});
