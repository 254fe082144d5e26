import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { Registry } from 'prom-client';
import { createTokenVerifier } from '../../lib/auth.js';
import { createCachedVerifier } from '../../lib/cached-verifier.js';
import type { Config } from '../../lib/config.js';
import { createFormatError } from '../../lib/errors.js';
import { serveGraphQL, type ServiceHandle } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { createRedis } from '../../lib/redis.js';
import { createContextFactory, type KnowledgeContext } from './context.js';
import { createEntityPublisher } from './entity-events.js';
import { startFeedbackConsumer } from './feedback-consumer.js';
import { buildKnowledgeSchema } from './schema.js';
import { createNeo4jDriver, pingNeo4j } from './store/driver.js';
import { ensureKnowledgeSchema } from './store/schema-setup.js';

export interface KnowledgeOptions {
  /** Use this driver (not closed on stop) instead of opening one from config; tests wrap it to count statements. */
  driver?: Driver;
  redis?: Redis;
  /** Run the feedback event consumer in this process; default true. */
  consumeFeedback?: boolean;
}

/** Starts the knowledge subgraph; constraints and indexes are ensured first. */
export async function startKnowledge(config: Config, port = config.ports.knowledge, options: KnowledgeOptions = {}): Promise<ServiceHandle> {
  const logger = createLogger(config, 'knowledge');
  const driver = options.driver ?? createNeo4jDriver(config.neo4j);
  const redis = options.redis ?? createRedis(config.redis.url, 'knowledge');
  await ensureKnowledgeSchema(driver);
  const schema = await buildKnowledgeSchema(driver, config.auth.jwtSecret);
  const publishEntities = createEntityPublisher(redis, config.eventStreamPrefix);
  const registry = new Registry();
  const consumer =
    options.consumeFeedback === false
      ? undefined
      : await startFeedbackConsumer({ redis, driver, streamPrefix: config.eventStreamPrefix, logger, publishEntities, registry });
  const apollo = new ApolloServer<KnowledgeContext>({ schema, formatError: createFormatError(logger),
    introspection: config.nodeEnv !== 'production',
    // No Apollo usage reporting here: federated traces would only cost time.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    // index.ts owns SIGINT/SIGTERM: it drains the server, the consumer and the pools in order.
    stopOnTerminationSignals: false,
  });
  const context = createContextFactory({
    verifyToken: createCachedVerifier(createTokenVerifier(config.auth)),
    driver,
    publishEntities,
  });
  return serveGraphQL({
    name: 'knowledge',
    apollo,
    port,
    context,
    readiness: { neo4j: () => pingNeo4j(driver), redis: async () => (await redis.ping()) === 'PONG' },
    routes: {
      '/metrics': async (_req, res) => {
        res.setHeader('content-type', registry.contentType);
        res.end(await registry.metrics());
      },
    },
    onStop: async () => {
      await consumer?.stop();
      if (!options.redis) redis.disconnect();
      if (!options.driver) await driver.close();
    },
  });
}
