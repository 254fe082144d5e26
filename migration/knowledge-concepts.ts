import type { Config } from '../lib/config.js';
import { createNeo4jDriver } from '../subgraphs/knowledge/store/driver.js';
import { resolveEntityReferences } from '../subgraphs/knowledge/store/entity-reads.js';
import type { ConceptResolver } from './legacy/message-reads.js';

/**
 * Legacy messages name the entities they mention by id or by name; the knowledge graph (read,
 * never written) tells which entity a name is. Names it does not know stay as they are.
 */
export function knowledgeConceptResolver(settings: Config['neo4j']): { resolve: ConceptResolver; close(): Promise<void> } {
  const driver = createNeo4jDriver(settings);
  return { resolve: (references) => resolveEntityReferences(driver, references), close: () => driver.close() };
}
