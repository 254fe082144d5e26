import { buildSchema, parse, Kind, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { assumedListSize, checkQueryLimits, introspectionCost, measureOperation, QueryLimitExceeded } from './query-limits.js';

const schema = buildSchema(`
  type Query { session(id: ID!): Session, sessions(first: Int): [Session!]! }
  type Session { id: ID!, title: String, messages(first: Int): [Message!]!, patient: Patient }
  type Message { id: ID!, content: String!, session: Session! }
  type Patient { id: ID!, sessions(first: Int): [Session!]!, page(first: Int = 20): Page!, related(first: Int = 50): [Patient!]! }
  type Page { edges: [Edge!]! }
  type Edge { node: Patient! }
`);

function split(source: string) {
  const document = parse(source);
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operation = definition;
  }
  if (!operation) throw new Error('no operation');
  return { document, operation, fragments };
}

function measure(source: string, variables: Record<string, unknown> = {}) {
  const { operation, fragments } = split(source);
  return measureOperation(schema, operation, fragments, { variables });
}

/** The limit a document passes first, or undefined when it passes none. */
function exceeded(source: string, limits = { maxDepth: 3, maxAliases: 1, maxCost: 50 }, variables: Record<string, unknown> = {}) {
  try {
    checkQueryLimits(schema, parse(source), variables, limits);
    return undefined;
  } catch (error) {
    return (error as { message: string; extensions: Record<string, unknown> }).extensions;
  }
}

describe('measureOperation', () => {
  it('counts depth, aliases and cost with list sizes from literal arguments', () => {
    expect(measure('{ a: session(id: "1") { id title } b: session(id: "2") { id } }')).toEqual({ depth: 2, aliases: 2, cost: 5 });
    // sessions(first: 3): 3 x (1 + messages(first: 2): 2 x (1 + content))
    expect(measure('{ sessions(first: 3) { messages(first: 2) { content } } }')).toEqual({ depth: 3, aliases: 0, cost: 3 * (1 + 2 * 2) });
  });

  it('prices sizes given as variables at their value, and assumes a default size only when there is none', () => {
    expect(measure('query ($n: Int) { sessions(first: $n) { id } }').cost).toBe(assumedListSize * 2);
    expect(measure('query ($n: Int) { sessions(first: $n) { id } }', { n: 500 }).cost).toBe(500 * 2);
    expect(measure('query ($n: Int) { sessions(first: 500) { id } }').cost).toBe(measure('query ($n: Int) { sessions(first: $n) { id } }', { n: 500 }).cost);
  });

  it('uses schema defaults for sizes, and a connection page size for its edges', () => {
    // related defaults to 50; page(first: 3) makes edges a list of 3.
    expect(measure('{ session(id: "1") { patient { related { id } page(first: 3) { edges { node { id } } } } } }').cost).toBe(
      1 + (1 + 50 * 2 + (1 + 3 * (1 + 2))),
    );
    expect(measure('{ session(id: "1") { patient { page { edges { node { id } } } } } }').cost).toBe(1 + (1 + (1 + 20 * (1 + 2))));
  });

  it('follows fragments and inline fragments; introspection costs a fixed amount and its aliases count', () => {
    const source = `{ session(id: "1") { ...S } __schema { types { fields { type { ofType { ofType { name } } } } } } }
      fragment S on Session { ... on Session { patient { id } } }`;
    expect(measure(source)).toEqual({ depth: 3, aliases: 0, cost: 3 + introspectionCost });
    expect(measure('{ __schema { a: types { name } b: types { name } } }')).toEqual({ depth: 0, aliases: 2, cost: introspectionCost });
  });

  it('measures a fragment once however often it is spread, and stops at the first limit passed', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, level) =>
      level === 0 ? 'fragment F0 on Session { id title }' : `fragment F${level} on Session { ...F${level - 1} ...F${level - 1} }`,
    ).join('\n');
    const source = `{ session(id: "1") { ...F${levels - 1} } }\n${fragments}`;
    const { operation, fragments: map } = split(source);
    const started = performance.now();
    expect(() => measureOperation(schema, operation, map, { limits: { maxDepth: 10, maxAliases: 10, maxCost: 50_000 } })).toThrow(QueryLimitExceeded);
    expect(performance.now() - started).toBeLessThan(50);
    // without limits the figure is exact: 2^39 spreads of two fields under one session
    expect(measureOperation(schema, operation, map).cost).toBe(1 + 2 * 2 ** (levels - 1));
  });
});

describe('checkQueryLimits', () => {
  it('accepts an operation within every limit', () => {
    expect(exceeded('{ session(id: "1") { patient { id } } }')).toBeUndefined();
  });

  it('rejects depth, aliases and cost past the limits, naming the figures', () => {
    expect(exceeded('{ session(id: "1") { patient { sessions(first: 1) { id } } } }')).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth', max: 3 });
    expect(exceeded('{ a: session(id: "1") { id } b: session(id: "2") { id } }')).toMatchObject({ limit: 'aliases', actual: 2, max: 1 });
    expect(exceeded('{ sessions(first: 30) { id title } }')).toMatchObject({ limit: 'cost', max: 50 });
    expect(exceeded('query ($n: Int) { sessions(first: $n) { id title } }', undefined, { n: 30 })).toMatchObject({ limit: 'cost', max: 50 });
    expect(exceeded('{ a: __schema { types { name } } }', { maxDepth: 3, maxAliases: 0, maxCost: 1_000_000 })).toMatchObject({ limit: 'aliases' });
  });

  it('caps the field selections of a document', () => {
    expect(exceeded(`{ session(id: "1") { ${'id '.repeat(201)} } }`, { maxDepth: 10, maxAliases: 10, maxCost: 1_000_000 })).toMatchObject({ limit: 'field selections' });
  });

  it('caps the fragment spreads of a document', () => {
    const spreads = Array.from({ length: 51 }, () => '...F').join(' ');
    expect(exceeded(`{ session(id: "1") { ${spreads} } } fragment F on Session { id }`, { maxDepth: 10, maxAliases: 10, maxCost: 1_000_000 })).toMatchObject({ limit: 'fragment spreads' });
  });
});
