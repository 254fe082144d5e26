import { printSubgraphSchema } from '@apollo/subgraph';
import neo4j from 'neo4j-driver';
import { buildKnowledgeSchema } from './schema.js';

/**
 * The subgraph SDL composed into the supergraph (scripts/compose-supergraph.ts): what
 * @neo4j/graphql generates from schema.graphql, printed as `_service { sdl }` would.
 * Building the schema needs a driver object but never connects with it.
 */
export async function loadKnowledgeSubgraphSdl(): Promise<string> {
  const driver = neo4j.driver('bolt://127.0.0.1:1');
  try {
    const schema = await buildKnowledgeSchema(driver, 'schema-only-no-tokens-are-verified');
    return printSubgraphSchema(schema);
  } finally {
    await driver.close();
  }
}
