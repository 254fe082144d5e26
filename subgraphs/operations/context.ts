import type { IncomingMessage } from 'node:http';
import type { Viewer, VerifyToken } from '../../lib/auth.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { Database } from './store/index.js';

/** What resolvers need beyond the store: event publishing and view refresh, owned by the server. */
export interface OperationsServices {
  streams: { feedback: string; ingest: string; results: string; analytics: string };
  /** Publishes the given outbox events now; failures are left to the relay, never thrown. */
  publishNow(eventIds: readonly string[]): Promise<void>;
  /** Refreshes the analytics views under the Redis lock; CONFLICT when another process holds it. */
  refreshViews(): Promise<string[]>;
}

export interface OperationsContext {
  viewer: Viewer | undefined;
  db: Database;
  loaders: Loaders;
  services: OperationsServices;
}

export function createContextFactory(db: Database, verifyToken: VerifyToken, services: OperationsServices) {
  return async (req: IncomingMessage): Promise<OperationsContext> => ({
    viewer: await verifyToken(req.headers.authorization),
    db,
    loaders: createLoaders(db),
    services,
  });
}
