import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { buildSchema, isEnumType, isObjectType, parse, type GraphQLEnumType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKnowledgeFixture } from './support/knowledge-fixture.js';

type Fixture = Awaited<ReturnType<typeof startKnowledgeFixture>>;
let kg: Fixture;
let api: GraphQLSchema;
const contract = buildSchema(readFileSync(new URL('../../../shared/contract.graphql', import.meta.url), 'utf8'));

/** Fields other subgraphs add to the knowledge entities (docs/federation-contract.md). */
const addedElsewhere = new Set(['MedicalEntity.similarEntities', 'Patient.sessions']);
const ownedTypes = ['MedicalEntity', 'Patient', 'Diagnosis', 'Medication', 'Allergy', 'LayerTransition', 'Relation', 'LayerCount', 'Layer', 'EntityType'];
const ownedQueries = ['patient', 'patients', 'medicalEntity', 'searchEntities', 'layerStats'];

beforeAll(async () => {
  kg = await startKnowledgeFixture();
  const service = await kg.query<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, { role: 'service' });
  const composed = composeServices([{ name: 'knowledge', url: kg.service.url, typeDefs: parse(service.data?._service.sdl ?? '') }]);
  expect(composed.errors).toBeUndefined();
  api = composed.schema!.toAPISchema().toGraphQLJSSchema();
});

afterAll(async () => kg.stop());

/** A field as clients see it: arguments with defaults, and the return type. */
function signatureOf(field: GraphQLField<unknown, unknown>): string {
  return `(${field.args.map((arg) => `${arg.name}: ${String(arg.type)} = ${JSON.stringify(arg.defaultValue)}`).join(', ')}): ${String(field.type)}`;
}

function compareFields(where: string, expected: GraphQLField<unknown, unknown>, actual: GraphQLField<unknown, unknown> | undefined): string[] {
  if (!actual) return [`${where} is missing`];
  return signatureOf(actual) === signatureOf(expected) ? [] : [`${where} is ${signatureOf(actual)}, the contract says ${signatureOf(expected)}`];
}

describe('knowledge subgraph against the client contract', () => {
  it('composes and serves every contract type, value and field it owns exactly as the contract declares them', () => {
    const problems: string[] = [];
    for (const typeName of ownedTypes) {
      const expected = contract.getType(typeName);
      const actual = api.getType(typeName);
      if (isObjectType(expected) && isObjectType(actual)) {
        for (const field of Object.values(expected.getFields())) {
          if (!addedElsewhere.has(`${typeName}.${field.name}`)) problems.push(...compareFields(`${typeName}.${field.name}`, field, actual.getFields()[field.name]));
        }
      } else if (isEnumType(expected) && isEnumType(actual)) {
        const values = (type: GraphQLEnumType) => type.getValues().map((value) => value.name).join(' ');
        if (values(actual) !== values(expected)) problems.push(`enum ${typeName} is ${values(actual)}, the contract says ${values(expected)}`);
      } else {
        problems.push(`${typeName} is missing or of another kind`);
      }
    }
    const queries = api.getQueryType()?.getFields() ?? {};
    for (const name of ownedQueries) {
      const expected = contract.getQueryType()?.getFields()[name];
      if (expected) problems.push(...compareFields(`Query.${name}`, expected, queries[name]));
    }
    expect(problems).toEqual([]);
  });
});
