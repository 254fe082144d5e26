import { hostname } from 'node:os';
import { parse } from 'graphql';
import type { Config } from '../../lib/config.js';
import type { Consumer } from '../../lib/events.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { cacheLookupCounter } from '../../lib/cache-metrics.js';
import { createRedis, instrumentRedis } from '../../lib/redis.js';
import { startSubgraph } from '../../lib/subgraph/start-subgraph.js';
import { createServiceTokenSource } from '../../lib/service-token.js';
import { subgraphSdl } from '../sdl.js';
import type { SearchContext } from './context.js';
import { createEmbedder } from './embedder/create-embedder.js';
import type { Embedder } from './embedder/embedder.js';
import { createQueryEmbedder } from './embedder/query-embedder.js';
import { createQueryLog } from './embedder/query-log.js';
import { startEntitySync } from './ingest/entity-sync.js';
import { startIngestConsumer } from './ingest/ingest-consumer.js';
import { createPostedMessageReader, startPostedMessagePassages } from './ingest/posted-message-passages.js';
import { createLoaders, type PassageQuery } from './loaders.js';
import { fieldErrorsPlugin } from './resolvers/guard-field.js';
import { createQueryEntityLinker } from './query-entities.js';
import { resolvers } from './resolvers/index.js';
import type { SearchServices } from './services.js';
import { createChunkStore } from './store/chunk-store.js';
import { createCollectionGuard, DimensionMismatchError, ensureCollections } from './store/collections.js';
import { createEntityStore } from './store/entity-store.js';
import { createCollectionNames, createQdrantClient, instrumentQdrant } from './store/qdrant.js';
import { createPassageMemo } from './store/passage-memo.js';
import { createQueryLogStore } from './store/query-log-store.js';

export interface StartSearchOptions {
  /** Default: from config (USE offline, or the EMBEDDINGS_URL endpoint). */
  embedder?: Embedder;
  /**
   * The ingest and entity-sync consumers: run in this process (default), not (`false`), or run
   * with a shorter blocking read (tests stop faster with `{ blockMs: 100 }`).
   */
  consumers?: boolean | { blockMs: number };
}

/**
 * Starts the search subgraph: GraphQL on `port`, plus the consumers of the ingest and entity
 * streams. Refuses to start when a collection's vector size differs from the embedder's;
 * starts anyway when Qdrant is down (search fields report it until it is back).
 */
export async function startSearch(config: Config, port = config.ports.search, options: StartSearchOptions = {}): Promise<ServiceHandle> {
  const embedder = options.embedder ?? createEmbedder(config.embeddings);
  const redis = createRedis(config.redis.url, 'search');
  const names = createCollectionNames(config.qdrant.collectionPrefix);
  return startSubgraph<SearchContext>(config, { name: 'search', port }, ({ logger, storeMetrics }) => {
    instrumentRedis(redis, storeMetrics);
    const qdrant = instrumentQdrant(createQdrantClient(config.qdrant), storeMetrics);
    const entities = createEntityStore(qdrant, names.entities);
    const queryLog = createQueryLog({ store: createQueryLogStore(qdrant, names.queries), model: embedder.model, logger, redis, retentionDays: config.search.queryLogRetentionDays, lockKey: `${config.eventStreamPrefix}:lock:search:query-log-purge` });
    const passageMemo = createPassageMemo({ redis, collection: names.chunks, logger, lookups: cacheLookupCounter(storeMetrics, 'passages') });
    const guard = createCollectionGuard(async () => {
      if (await ensureCollections(qdrant, names, embedder.dimension, embedder.model, (line) => logger.info(line))) await passageMemo.chunksChanged();
    });
    const services: SearchServices = {
      chunks: createChunkStore(qdrant, names.chunks, () => passageMemo.chunksChanged()),
      passageMemo,
      entities,
      queryEntities: createQueryEntityLinker(entities),
      queryEmbedder: createQueryEmbedder({ embedder, redis, logger, lookups: cacheLookupCounter(storeMetrics, 'query_vector') }),
      queryLog,
      ensureCollections: guard,
      logger,
    };
    return {
      schema: { typeDefs: parse(subgraphSdl.search), resolvers },
      prepare: async () => {
        try {
          await Promise.all([guard(), embedder.warm()]);
        } catch (error) {
          if (error instanceof DimensionMismatchError) {
            redis.disconnect();
            throw error;
          }
          logger.warn({ err: error }, 'vector store not ready at start-up; search fields report it until it answers');
        }
        logger.info({ embedder: embedder.model, dimension: embedder.dimension, collections: names }, 'search subgraph prepared');
      },
      context: (scope) => ({ ...scope, services, loaders: createLoaders(services), fieldErrors: [] }),
      readiness: {
        redis: async () => (await redis.ping()) === 'PONG',
        qdrant: async () => {
          await guard();
          return services.chunks.isAvailable();
        },
      },
      plugins: [fieldErrorsPlugin],
      startBackground: async () => {
        const consumers: Consumer[] = [];
        if (options.consumers !== false) {
          const streamPrefix = config.eventStreamPrefix;
          const consumer = `search-${hostname()}-${process.pid}`;
          const blockMs = typeof options.consumers === 'object' ? options.consumers.blockMs : undefined;
          const deps = { chunks: services.chunks, entities: services.entities, embedder, ensureCollections: guard };
          consumers.push(await startIngestConsumer({ redis, streamPrefix, deps, logger, consumer, metrics: storeMetrics, ...(blockMs ? { blockMs } : {}) }));
          consumers.push(await startEntitySync({ redis, streamPrefix, consumer, deps, logger, metrics: storeMetrics, ...(blockMs ? { blockMs } : {}) }));
          const serviceToken = createServiceTokenSource(config.auth, config.search.serviceToken, 'service:search-passages');
          if (serviceToken) {
            const searchPassages = async (queries: readonly PassageQuery[]) => {
              await guard();
              const loaders = createLoaders(services);
              await Promise.all(queries.map((query) => loaders.passages.load(query)));
            };
            const readMessages = createPostedMessageReader(config.search.operationsUrl, serviceToken);
            consumers.push(await startPostedMessagePassages({ redis, streamPrefix, consumer, readMessages, searchPassages, logger, metrics: storeMetrics, ...(blockMs ? { blockMs } : {}) }));
          } else {
            logger.warn('no service token (SEARCH_SERVICE_TOKEN, or JWT_SECRET to sign one): posted messages get their passages at their first read');
          }
        }
        const stopPurge = queryLog.schedulePurge();
        return async () => {
          stopPurge();
          await Promise.all(consumers.map((consumer) => consumer.stop()));
          await queryLog.close();
        };
      },
      close: async () => {
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  });
}
