import { buildSchema, parse, validate, Kind, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { assumedListSize, createQueryLimitsRule, measureOperation } from './query-limits.js';

const schema = buildSchema(`
  type Query { session(id: ID!): Session, sessions(first: Int): [Session!]! }
  type Session { id: ID!, title: String, messages(first: Int): [Message!]!, patient: Patient }
  type Message { id: ID!, content: String!, session: Session! }
  type Patient { id: ID!, sessions(first: Int): [Session!]!, page(first: Int = 20): Page!, related(first: Int = 50): [Patient!]! }
  type Page { edges: [Edge!]! }
  type Edge { node: Patient! }
`);

function measure(source: string) {
  const document = parse(source);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    if (definition.kind === Kind.OPERATION_DEFINITION) operation = definition;
  }
  if (!operation) throw new Error('no operation');
  return measureOperation(schema, operation, fragments);
}

describe('measureOperation', () => {
  it('counts depth, aliases and cost with list sizes from literal arguments', () => {
    expect(measure('{ a: session(id: "1") { id title } b: session(id: "2") { id } }')).toEqual({ depth: 2, aliases: 2, cost: 5 });
    // sessions(first: 3): 3 x (1 + messages(first: 2): 2 x (1 + content))
    expect(measure('{ sessions(first: 3) { messages(first: 2) { content } } }')).toEqual({ depth: 3, aliases: 0, cost: 3 * (1 + 2 * 2) });
  });

  it('assumes a default size for lists without a literal size', () => {
    expect(measure('query ($n: Int) { sessions(first: $n) { id } }').cost).toBe(assumedListSize * 2);
  });

  it('uses schema defaults for sizes, and a connection page size for its edges', () => {
    // related defaults to 50; page(first: 3) makes edges a list of 3.
    expect(measure('{ session(id: "1") { patient { related { id } page(first: 3) { edges { node { id } } } } } }').cost).toBe(
      1 + (1 + 50 * 2 + (1 + 3 * (1 + 2))),
    );
    expect(measure('{ session(id: "1") { patient { page { edges { node { id } } } } } }').cost).toBe(1 + (1 + (1 + 20 * (1 + 2))));
  });

  it('follows fragments and inline fragments, and ignores introspection', () => {
    const source = `{ session(id: "1") { ...S } __schema { types { fields { type { ofType { ofType { name } } } } } } }
      fragment S on Session { ... on Session { patient { id } } }`;
    expect(measure(source)).toEqual({ depth: 3, aliases: 0, cost: 3 });
  });
});

describe('createQueryLimitsRule', () => {
  const rule = createQueryLimitsRule({ maxDepth: 3, maxAliases: 1, maxCost: 50 });
  const errorsOf = (source: string) => validate(schema, parse(source), [rule]).map((error) => error.message);

  it('accepts an operation within every limit', () => {
    expect(errorsOf('{ session(id: "1") { patient { id } } }')).toEqual([]);
  });

  it('rejects depth, aliases and cost past the limits, naming the figures', () => {
    expect(errorsOf('{ session(id: "1") { patient { sessions(first: 1) { id } } } }')).toEqual(['Operation depth 4 exceeds the limit of 3']);
    expect(errorsOf('{ a: session(id: "1") { id } b: session(id: "2") { id } }')).toEqual(['Operation aliases 2 exceeds the limit of 1']);
    expect(errorsOf('{ sessions(first: 30) { id title } }')).toEqual(['Operation cost 90 exceeds the limit of 50']);
  });
});
