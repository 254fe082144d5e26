import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { createTokenVerifier } from '../lib/auth.js';
import type { Config } from '../lib/config.js';
import { serveGraphQL, type ReadinessCheck, type ServiceHandle } from '../lib/http-server.js';
import { createLogger } from '../lib/logger.js';
import { createRedis } from '../lib/redis.js';
import { createApolloLogger } from './apollo-logger.js';
import { createCachedVerifier } from '../lib/cached-verifier.js';
import { createContextBuilder, type GatewayContext } from './context.js';
import { createGatewayFormatError } from './format-error.js';
import { createMetricsPlugin, createGatewayMetrics } from './metrics.js';
import { createPlaygroundRoute } from './playground.js';
import { createQueryAnalyticsPlugin } from './query-analytics.js';
import { createQueryLimitsRule } from './query-limits.js';
import { createRateLimiter } from './rate-limiter.js';
import { createHealthCheck, createRedisCheck } from './readiness.js';
import { RedisKeyValueCache } from './redis-key-value-cache.js';
import { createResponseCache } from './response-cache.js';
import { createSafelistPlugin, loadSafelist } from './safelist.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { createSupergraphManager, type SupergraphSource } from './supergraph-source.js';

export interface GatewayOptions {
  /** Default `config.ports.gateway`; 0 picks a free port. */
  port?: number;
  /** Default: the file `config.gateway.supergraphFile`, watched for changes. */
  supergraph?: SupergraphSource;
  /** Overrides of `config.gateway` (tests use small limits). */
  settings?: Partial<Config['gateway']>;
  /** Prefix of every Redis key the gateway writes (APQ, rate limits, response cache); default `gw:`. */
  redisPrefix?: string;
}

/** Starts the federation gateway over the subgraphs of a supergraph; returns its handle. */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<ServiceHandle> {
  const settings = { ...config.gateway, ...options.settings };
  const prefix = options.redisPrefix ?? 'gw:';
  const logger = createLogger(config, 'gateway');
  const redis = createRedis(config.redis.url, 'gateway', { autoPipelining: true });
  const metrics = createGatewayMetrics();
  // Filled as the gateway learns its subgraphs from the supergraph; /readyz reads it per request.
  const readiness: Record<string, ReadinessCheck> = { redis: createRedisCheck(redis) };

  const gateway = new ApolloGateway({
    supergraphSdl: createSupergraphManager(options.supergraph ?? { file: settings.supergraphFile }, logger),
    logger: createApolloLogger(logger),
    buildService: ({ name, url }) => {
      if (!url) throw new Error(`subgraph ${name} has no URL in the supergraph`);
      readiness[`subgraph:${name}`] = createHealthCheck(url);
      return new SubgraphDataSource(name, url, settings.subgraphTimeoutMs, metrics, logger);
    },
  });

  const plugins: ApolloServerPlugin<GatewayContext>[] = [ApolloServerPluginLandingPageDisabled(), createMetricsPlugin(metrics)];
  if (settings.safelistFile) plugins.push(createSafelistPlugin(await loadSafelist(settings.safelistFile)));
  const responseCache = settings.responseCache ? await createResponseCache({ redis, metrics, logger, prefix: `${prefix}rc:` }) : undefined;
  if (responseCache) plugins.push(responseCache.plugin);
  // After the response cache, whose x-cache header tells whether the answer was a hit.
  plugins.push(createQueryAnalyticsPlugin(redis, `${config.eventStreamPrefix}:analytics`));

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createGatewayFormatError(logger),
    validationRules: [createQueryLimitsRule(settings.limits)],
    persistedQueries: { cache: new RedisKeyValueCache(redis, `${prefix}apq:`), ttl: 86_400 },
    includeStacktraceInErrorResponses: false,
    ...(responseCache ? { stringifyResult: responseCache.stringifyResult } : {}),
    logger: createApolloLogger(logger),
    plugins,
  });

  const rateLimiter = createRateLimiter(redis, {
    ...settings.rateLimit,
    keyPrefix: `${prefix}rl:`,
    logger,
    onReject: () => metrics.rateLimited.inc(),
  });

  const handle = await serveGraphQL({
    name: 'gateway',
    apollo,
    port: options.port ?? config.ports.gateway,
    context: createContextBuilder({ verify: createCachedVerifier(createTokenVerifier(config.auth)), rateLimiter, logger }),
    readiness,
    maxBodyBytes: settings.limits.maxBodyBytes,
    routes: {
      '/playground': createPlaygroundRoute(),
      '/metrics': async (_req, res) => {
        res.setHeader('content-type', metrics.registry.contentType);
        res.end(await metrics.registry.metrics());
      },
    },
    onStop: async () => {
      await responseCache?.stop();
      await redis.quit().catch(() => undefined);
    },
  });
  logger.info({ url: handle.url }, 'gateway listening');
  return handle;
}
