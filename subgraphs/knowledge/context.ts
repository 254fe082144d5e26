import type { Driver } from 'neo4j-driver';
import type { RequestScope } from '../../lib/subgraph/start-subgraph.js';
import type { PublishEntities } from './entity-events.js';
import type { Loaders } from './loaders.js';

/** What every knowledge resolver sees. */
export interface KnowledgeContext extends RequestScope {
  driver: Driver;
  loaders: Loaders;
  publishEntities: PublishEntities;
}
