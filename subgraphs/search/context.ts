import type { IncomingMessage } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import type { VerifyToken, Viewer } from '../../lib/auth.js';
import { createLoaders, type SearchLoaders } from './loaders.js';
import type { SearchServices } from './services.js';

export interface SearchContext {
  viewer: Viewer | undefined;
  services: SearchServices;
  loaders: SearchLoaders;
  /** Errors of search fields that answered empty instead of failing the whole response (store outage). */
  fieldErrors: GraphQLFormattedError[];
}

export function createContextFactory(services: SearchServices, verifyToken: VerifyToken) {
  return async (req: IncomingMessage): Promise<SearchContext> => ({
    viewer: await verifyToken(req.headers.authorization),
    services,
    loaders: createLoaders(services),
    fieldErrors: [],
  });
}
