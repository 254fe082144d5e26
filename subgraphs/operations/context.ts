import type { RequestScope } from '../../lib/subgraph/start-subgraph.js';
import type { Loaders } from './loaders.js';
import type { Database, FeedbackLimits } from './store/index.js';

/** What resolvers need beyond the store: event publishing, view refresh and limits, owned by the server. */
export interface OperationsServices {
  /** EVENT_STREAM_PREFIX: where the events this subgraph writes to its outbox go. */
  streamPrefix: string;
  /** Publishes the given outbox events now; failures are left to the relay, never thrown. */
  publishNow(eventIds: readonly string[]): Promise<void>;
  /** Refreshes the analytics views under the Redis lock; CONFLICT when another process holds it. */
  refreshViews(): Promise<string[]>;
  feedbackLimits: FeedbackLimits;
}

export interface OperationsContext extends RequestScope {
  db: Database;
  loaders: Loaders;
  services: OperationsServices;
}
