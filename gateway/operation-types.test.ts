import { buildSchema, parse, Kind, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { collectSelectedTypes, selectedTypesOf } from './operation-types.js';

const schema = buildSchema(`
  type Query { session(id: ID!): Session }
  type Mutation { postMessage(content: String!): Message! }
  type Session { id: ID!, messages: [Message!]!, patient: Patient! }
  type Message { id: ID!, content: String! }
  type Patient { id: ID! }
`);

function typesOf(source: string): string[] {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error('no operation');
  return [...collectSelectedTypes(schema, document, operation)].sort();
}

describe('collectSelectedTypes', () => {
  it('lists the composite types a query selects, through fragments', () => {
    expect(typesOf('{ session(id: "1") { id ...M } } fragment M on Session { messages { content } }')).toEqual(['Message', 'Session']);
  });

  it('lists what a mutation returns', () => {
    expect(typesOf('mutation { postMessage(content: "hi") { id } }')).toEqual(['Message']);
  });

  it('ignores leaf-only selections on the root', () => {
    expect(typesOf('{ __typename }')).toEqual([]);
  });
});

describe('selectedTypesOf', () => {
  it('walks a parsed operation once per schema', () => {
    const document = parse('{ session(id: "1") { patient { id } } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    const first = selectedTypesOf(schema, document, operation);
    expect([...first].sort()).toEqual(['Patient', 'Session']);
    expect(selectedTypesOf(schema, document, operation)).toBe(first);
    const reloaded = buildSchema('type Query { session(id: ID!): Visit } type Visit { patient: Person! } type Person { id: ID! }');
    expect([...selectedTypesOf(reloaded, document, operation)].sort()).toEqual(['Person', 'Visit']);
  });
});
