import type { ApolloServerPlugin } from '@apollo/server';
import { parse } from 'graphql';
import type pg from 'pg';
import type { Config } from '../../lib/config.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import type { Logger } from '../../lib/logger.js';
import { createRedis, instrumentRedis } from '../../lib/redis.js';
import { startSubgraph } from '../../lib/subgraph/start-subgraph.js';
import { subgraphSdl } from '../sdl.js';
import type { OperationsContext, OperationsServices } from './context.js';
import { startQueryAnalyticsConsumer } from './events/analytics.js';
import { startIngestResultConsumer } from './events/ingest-results.js';
import { startOutboxRelay, watchOutboxBacklog } from './events/outbox-relay.js';
import { createExportRoute, exportPath } from './export/route.js';
import { createViewRefresher } from './jobs/view-refresh.js';
import { createLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { startMigrationRuntime, type MigrationRuntime } from './routing/migration-runtime.js';
import { createDatabase, createPool, instrumentPool, markPublished, poolOptionsOf, migrateDatabase, pingDatabase } from './store/index.js';
import { publishDefined } from '../../lib/typed-events.js';

export interface OperationsOptions {
  /** A pool to use instead of one made from config (tests wrap it to count statements); not closed on stop. */
  pool?: pg.Pool;
  logger?: Logger;
  /** How often the outbox relay republishes events Redis missed; default 5000 ms. */
  outboxRelayMs?: number;
  /** How often the dual-write relay looks for what it missed (default MIGRATION_RELAY_INTERVAL_MS; 0: only right after commits). */
  relayIntervalMs?: number;
  /** Extra Apollo plugins (the benchmark times requests inside the server with one); default none. */
  plugins?: ApolloServerPlugin<OperationsContext>[];
}

/** Starts the operations subgraph over PostgreSQL: migrations first, then the event consumers, relay and view refresh. */
export async function startOperations(config: Config, port = config.ports.operations, options: OperationsOptions = {}): Promise<ServiceHandle> {
  const pool = options.pool ?? createPool(config.postgres.url, poolOptionsOf(config.postgres));
  const db = createDatabase(pool);
  const redis = createRedis(config.redis.url, 'operations');
  return startSubgraph<OperationsContext>(config, { name: 'operations', port, ...(options.logger ? { logger: options.logger } : {}) }, ({ logger, metrics, storeMetrics }) => {
    instrumentPool(pool, storeMetrics);
    instrumentRedis(redis, storeMetrics);
    // built once the database is migrated (prepare); requests are only served after that
    let migration: MigrationRuntime | undefined;
    const runtime = (): MigrationRuntime => {
      if (!migration) throw new Error('the operations subgraph is not prepared yet');
      return migration;
    };
    const refresher = createViewRefresher(db, redis, `${config.eventStreamPrefix}:lock:operations:analytics-refresh`, logger);
    const services: OperationsServices = {
      streamPrefix: config.eventStreamPrefix,
      publishNow: async (events) => {
        // committed with their change: sent now, in order, so the caller's next request finds them on
        // their streams; whatever fails here stays unpublished in the outbox for the relay
        try {
          for (const event of events) await publishDefined(redis, event);
          await markPublished(db, events.map((event) => event.eventId));
        } catch (error) {
          logger.warn({ err: error, eventIds: events.map((event) => event.eventId) }, 'publish after commit failed; the relay will retry');
        }
      },
      refreshViews: () => refresher.refreshNow(),
      feedbackLimits: config.feedbackLimits,
    };
    return {
      schema: { typeDefs: parse(subgraphSdl.operations), resolvers },
      prepare: async () => {
        await migrateDatabase(config);
        migration = await startMigrationRuntime(config, { db, redis, logger, registry: metrics, publishNow: services.publishNow, ...(options.relayIntervalMs !== undefined ? { relayIntervalMs: options.relayIntervalMs } : {}) });
      },
      context: (scope) => {
        const stores = runtime().stores;
        return { ...scope, db, stores, migration: runtime(), loaders: createLoaders(stores), services };
      },
      readiness: {
        postgres: () => pingDatabase(pool),
        redis: async () => (await redis.ping()) === 'PONG',
        // only while a domain still uses it
        legacy: () => (runtime().usesLegacy() ? runtime().pingLegacy() : Promise.resolve(true)),
      },
      routes: (admit) => ({ [exportPath]: createExportRoute(pool, admit, logger) }),
      plugins: options.plugins ?? [],
      startBackground: async () => {
        const consumers = [await startIngestResultConsumer(runtime().stores.documents, redis, config.eventStreamPrefix, logger, storeMetrics), await startQueryAnalyticsConsumer(db, redis, config.eventStreamPrefix, logger, storeMetrics)];
        watchOutboxBacklog(storeMetrics, db, config.eventStreamPrefix);
        const stopRelay = startOutboxRelay(db, redis, config.eventStreamPrefix, logger, options.outboxRelayMs ?? 5000);
        const stopSchedule = config.operations.viewRefreshMs > 0 ? refresher.schedule(config.operations.viewRefreshMs) : () => undefined;
        return async () => {
          stopSchedule();
          stopRelay();
          await Promise.all([...consumers.map((consumer) => consumer.stop()), runtime().relay.stop()]);
        };
      },
      close: async () => {
        await migration?.stop();
        redis.disconnect();
        if (!options.pool) await pool.end();
      },
    };
  });
}
