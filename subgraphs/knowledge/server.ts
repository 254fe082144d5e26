import { parse } from 'graphql';
import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { cacheLookupCounter } from '../../lib/cache-metrics.js';
import type { Config } from '../../lib/config.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { createRedis, instrumentRedis } from '../../lib/redis.js';
import { startSubgraph } from '../../lib/subgraph/start-subgraph.js';
import { subgraphSdl } from '../sdl.js';
import type { KnowledgeContext } from './context.js';
import { createEntityPublisher } from './entity-events.js';
import { startFeedbackConsumer } from './feedback-consumer.js';
import { createLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { createNeo4jDriver, instrumentDriver, pingNeo4j } from './store/driver.js';
import { announceGraphWrites, markGraphChanged } from './store/graph-generation.js';
import { createGraphMemo } from './store/graph-memo.js';
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
  const baseDriver = options.driver ?? createNeo4jDriver(config.neo4j);
  const redis = options.redis ?? createRedis(config.redis.url, 'knowledge');
  const publishEntities = createEntityPublisher(redis, config.eventStreamPrefix);
  return startSubgraph<KnowledgeContext>(config, { name: 'knowledge', port }, ({ logger, storeMetrics }) => {
    instrumentRedis(redis, storeMetrics);
    const graphMemo = createGraphMemo({ redis, logger, lookups: cacheLookupCounter(storeMetrics, 'graph') });
    const driver = announceGraphWrites(instrumentDriver(baseDriver, storeMetrics), () =>
      markGraphChanged(redis).catch((error: unknown) => {
        // the write stands; this process forgets what it remembered, other processes' copies expire
        logger.error({ err: error }, 'could not announce a graph write; remembered reads elsewhere may be stale until they expire');
        graphMemo.forget();
      }),
    );
    return {
      schema: { typeDefs: parse(subgraphSdl.knowledge), resolvers },
      prepare: () => ensureKnowledgeSchema(driver),
      context: (scope) => ({ ...scope, driver, loaders: createLoaders(driver, graphMemo.forRequest()), publishEntities }),
      readiness: { neo4j: () => pingNeo4j(driver), redis: async () => (await redis.ping()) === 'PONG' },
      startBackground: async () => {
        if (options.consumeFeedback === false) return async () => undefined;
        const consumer = await startFeedbackConsumer({ redis, driver, streamPrefix: config.eventStreamPrefix, logger, publishEntities, metrics: storeMetrics });
        return () => consumer.stop();
      },
      close: async () => {
        if (!options.redis) redis.disconnect();
        if (!options.driver) await baseDriver.close();
      },
    };
  });
}
