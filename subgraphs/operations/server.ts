import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type pg from 'pg';
import { createTokenVerifier } from '../../lib/auth.js';
import { createCachedVerifier } from '../../lib/cached-verifier.js';
import type { Config } from '../../lib/config.js';
import { createFormatError } from '../../lib/errors.js';
import { serveGraphQL, type ServiceHandle } from '../../lib/http-server.js';
import { createLogger, type Logger } from '../../lib/logger.js';
import { createRedis } from '../../lib/redis.js';
import { startQueryAnalyticsConsumer } from './analytics-consumer.js';
import { createContextFactory, type OperationsContext, type OperationsServices } from './context.js';
import { operationsStreams, publishOutboxRow, startIngestResultConsumer, startOutboxRelay } from './event-streams.js';
import { createExportRoute, exportPath } from './export-route.js';
import { buildOperationsSchema } from './schema.js';
import { createDatabase, createPool, pingDatabase, publishPendingEvents } from './store/index.js';
import { createViewRefresher } from './view-refresh.js';

export interface OperationsOptions {
  /** A pool to use instead of one made from config (tests wrap it to count statements); not closed on stop. */
  pool?: pg.Pool;
  logger?: Logger;
  /** How often the outbox relay republishes events Redis missed; default 5000 ms. */
  outboxRelayMs?: number;
  /** Extra Apollo plugins (the benchmark times requests inside the server with one); default none. */
  plugins?: ApolloServerPlugin<OperationsContext>[];
}

/** Largest GraphQL request body: a document of up to 1,000,000 characters plus the envelope. */
const maxBodyBytes = 4 * 1024 * 1024;

export async function startOperations(config: Config, port = config.ports.operations, options: OperationsOptions = {}): Promise<ServiceHandle> {
  const logger = options.logger ?? createLogger(config, 'operations');
  const pool = options.pool ?? createPool(config.postgres.url);
  const db = createDatabase(pool);
  const redis = createRedis(config.redis.url, 'operations');
  const streams = operationsStreams(config.eventStreamPrefix);
  const refresher = createViewRefresher(db, redis, `${config.eventStreamPrefix}:lock:operations:analytics-refresh`, logger);
  const publish = publishOutboxRow(redis);
  const services: OperationsServices = {
    streams,
    publishNow: async (eventIds) => {
      // the change is committed: a failed publish stays in the outbox for the relay
      await publishPendingEvents(db, publish, { eventIds, streamPrefix: config.eventStreamPrefix }).catch((error: unknown) => logger.warn({ err: error, eventIds }, 'publish after commit failed; the relay will retry'));
    },
    refreshViews: () => refresher.refreshNow(),
  };
  const verifyToken = createCachedVerifier(createTokenVerifier(config.auth));
  const consumers = [await startIngestResultConsumer(db, redis, streams.results, logger), await startQueryAnalyticsConsumer(db, redis, streams.analytics, logger)];
  const stopRelay = startOutboxRelay(db, redis, config.eventStreamPrefix, logger, options.outboxRelayMs ?? 5000);
  const stopSchedule = config.operations.viewRefreshMs > 0 ? refresher.schedule(config.operations.viewRefreshMs) : () => undefined;

  const apollo = new ApolloServer<OperationsContext>({
    schema: buildOperationsSchema(),
    formatError: createFormatError(logger),
    // No Apollo usage reporting here: federated traces would only cost time.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ...(options.plugins ?? [])],
    // index.ts drains on SIGINT/SIGTERM; Apollo's own handlers would race it and re-raise the signal
    stopOnTerminationSignals: false,
  });
  return serveGraphQL({
    name: 'operations',
    apollo,
    port,
    maxBodyBytes,
    context: createContextFactory(db, verifyToken, services),
    readiness: {
      postgres: () => pingDatabase(pool),
      redis: async () => (await redis.ping()) === 'PONG',
    },
    routes: { [exportPath]: createExportRoute(pool, verifyToken, logger) },
    onStop: async () => {
      stopSchedule();
      stopRelay();
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      redis.disconnect();
      if (!options.pool) await pool.end();
    },
  });
}
