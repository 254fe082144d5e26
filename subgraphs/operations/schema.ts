import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

type SchemaModule = Parameters<typeof buildSubgraphSchema>[0] & { resolvers?: unknown };

export function buildOperationsSchema(): GraphQLSchema {
  // resolvers are typed per file; @apollo/subgraph's map type has no room for enum value maps and scalars
  return buildSubgraphSchema({ typeDefs, resolvers } as unknown as SchemaModule);
}
