import { readFileSync } from 'node:fs';
import { Neo4jGraphQL } from '@neo4j/graphql';
import type { GraphQLSchema } from 'graphql';
import type { Driver } from 'neo4j-driver';
import { installReferenceResolvers } from './entity-references.js';
import { guardQueryFields } from './guards.js';
import { medicalEntityResolvers } from './resolvers/medical-entity.js';
import { mutationResolvers } from './resolvers/mutation.js';

export const knowledgeTypeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

/**
 * The executable subgraph schema: @neo4j/graphql over the type definitions, with batched
 * entity resolution, token and argument guards on the root fields, and the custom resolvers.
 */
export async function buildKnowledgeSchema(driver: Driver, jwtSecret: string): Promise<GraphQLSchema> {
  const library = new Neo4jGraphQL({
    typeDefs: knowledgeTypeDefs,
    driver,
    resolvers: { ...medicalEntityResolvers, ...mutationResolvers },
    features: { authorization: { key: jwtSecret } },
    // The Patient rule filters on `node.id`, and the library only generates the PatientWhere type
    // that its validator needs when generated read operations exist, which are deliberately off.
    validate: false,
  });
  const schema = await library.getSubgraphSchema();
  installReferenceResolvers(schema);
  guardQueryFields(schema);
  return schema;
}
