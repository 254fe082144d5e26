import type { GraphQLFormattedError } from 'graphql';
import type { RequestScope } from '../../lib/subgraph/start-subgraph.js';
import type { SearchLoaders } from './loaders.js';
import type { SearchServices } from './services.js';

export interface SearchContext extends RequestScope {
  services: SearchServices;
  loaders: SearchLoaders;
  /** Errors of search fields that answered empty instead of failing the whole response (store outage). */
  fieldErrors: GraphQLFormattedError[];
}
