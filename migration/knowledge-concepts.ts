import type { Driver } from 'neo4j-driver';
import type { Config } from '../lib/config.js';
import { createNeo4jDriver } from '../subgraphs/knowledge/store/driver.js';
import { resolveEntityReferences } from '../subgraphs/knowledge/store/entity-reads.js';
import type { ConceptResolver } from './legacy/message-reads.js';

/**
 * Legacy messages and chunks name the entities they mention by id or by name; the knowledge
 * graph tells which entity a name is (names it does not know stay as they are). The migration
 * writes only one thing there: which documents mention an entity (document-mentions.ts).
 */
export function knowledgeConceptResolver(settings: Config['neo4j']): { resolve: ConceptResolver; driver: Driver; close(): Promise<void> } {
  const driver = createNeo4jDriver(settings);
  return { resolve: (references) => resolveEntityReferences(driver, references), driver, close: () => driver.close() };
}
