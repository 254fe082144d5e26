import type { IncomingMessage } from 'node:http';
import type { JWTPayload } from 'jose';
import type { Driver } from 'neo4j-driver';
import type { Viewer, VerifyToken } from '../../lib/auth.js';
import type { PublishEntities } from './entity-events.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What every knowledge resolver sees; @neo4j/graphql reads `jwt` and `executionContext`. */
export interface KnowledgeContext {
  viewer: Viewer | undefined;
  /** Verified claims, handed to @neo4j/graphql as already trusted for @authorization rules. */
  jwt: JWTPayload | undefined;
  executionContext: Driver;
  loaders: Loaders;
  driver: Driver;
  publishEntities: PublishEntities;
}

export interface ContextDependencies {
  verifyToken: VerifyToken;
  driver: Driver;
  publishEntities: PublishEntities;
}

/** Builds a fresh context (and fresh DataLoaders) per request from its Authorization header. */
export function createContextFactory(deps: ContextDependencies) {
  return async (req: Pick<IncomingMessage, 'headers'>): Promise<KnowledgeContext> => {
    const viewer = await deps.verifyToken(req.headers.authorization);
    return {
      viewer,
      jwt: viewer?.claims,
      executionContext: deps.driver,
      loaders: createLoaders(deps.driver),
      driver: deps.driver,
      publishEntities: deps.publishEntities,
    };
  };
}
