import type { RequestScope } from '../../lib/subgraph/start-subgraph.js';
import type { Loaders } from './loaders.js';
import type { MigrationRuntime } from './routing/migration-runtime.js';
import type { StoreSet } from './routing/routed-stores.js';
import type { FeedbackLimits } from './rules/feedback-limits.js';
import type { Database, OutboxEvent } from './store/index.js';

/** What resolvers need beyond the store: event publishing, view refresh and limits, owned by the server. */
export interface OperationsServices {
  /** EVENT_STREAM_PREFIX: where the events this subgraph writes to its outbox go. */
  streamPrefix: string;
  /** Publishes outbox events just committed, in order; failures are left to the relay, never thrown. */
  publishNow(events: readonly OutboxEvent[]): Promise<void>;
  /** Refreshes the analytics views under the Redis lock; CONFLICT when another process holds it. */
  refreshViews(): Promise<string[]>;
  feedbackLimits: FeedbackLimits;
}

export interface OperationsContext extends RequestScope {
  /** PostgreSQL, for what only it holds (documents, analytics). */
  db: Database;
  /** Conversations and feedback, wherever the migration stage has them. */
  stores: StoreSet;
  /** The move's stages, relay and legacy store (the migration resolvers). */
  migration: MigrationRuntime;
  loaders: Loaders;
  services: OperationsServices;
}
