import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkContract } from './contract-check.js';

const contract = `
  scalar DateTime
  enum Layer { SEMANTIC REASONING }
  type Query { session(id: ID!): Session, sessions(first: Int = 20): [Session!]! }
  type Mutation { renameSession(id: ID!, title: String!): Session! }
  input Filter { layer: Layer, minQuality: Float }
  type Session { id: ID!, title: String, at: DateTime!, layer: Layer }
`;

describe('checkContract', () => {
  it('accepts the contract itself and additive changes', () => {
    expect(checkContract(contract, buildSchema(contract))).toEqual([]);
    const extended = contract
      .replace('enum Layer { SEMANTIC REASONING }', 'enum Layer { SEMANTIC REASONING PERCEPTION }')
      .replace('sessions(first: Int = 20)', 'sessions(first: Int = 20, status: String)')
      .replace('type Session { id: ID!', 'type Other { x: Int } type Session { id: ID!, extra: Int');
    expect(checkContract(contract, buildSchema(extended))).toEqual([]);
  });

  it('reports missing types, fields, operations, arguments and enum values', () => {
    const broken = `
      scalar DateTime
      enum Layer { SEMANTIC }
      type Query { session: Session }
      input Filter { layer: Layer, minQuality: Float }
      type Session { id: ID!, at: DateTime!, layer: Layer }
    `;
    expect(checkContract(contract, buildSchema(broken))).toEqual([
      'Layer.REASONING is missing',
      'Query.session(id:) is missing',
      'Query.sessions is missing',
      'type Mutation is missing',
      'Session.title is missing',
    ]);
  });

  it('reports retyped fields and arguments, kinds, and arguments that became required', () => {
    const retyped = contract
      .replace('title: String,', 'title: String!,')
      .replace('session(id: ID!)', 'session(id: String!)')
      .replace('sessions(first: Int = 20)', 'sessions(first: Int!)')
      .replace('renameSession(id: ID!, title: String!)', 'renameSession(id: ID!, title: String!, reason: String!)')
      .replace('input Filter { layer: Layer, minQuality: Float }', 'input Filter { layer: Layer, minQuality: Int, tenant: ID! }')
      .replace('scalar DateTime', 'type DateTime { iso: String }');
    expect(checkContract(contract, buildSchema(retyped))).toEqual([
      'DateTime is of kind object, the contract says scalar',
      'Query.session(id:) is String!, the contract says ID!',
      'Query.sessions(first:) is Int!, the contract says Int',
      'Mutation.renameSession(reason:) is a new required argument',
      'Filter.minQuality is Int, the contract says Float',
      'Filter.tenant is a new required input field',
      'Session.title is String!, the contract says String',
    ]);
  });
});
