import { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { createAddressGuard } from '../lib/address-guard.js';
import { createAdmission, type AdmittedRequest } from '../lib/admission.js';
import { createApolloLogger } from '../lib/apollo-logger.js';
import { createGatewayServer, disableVendorTelemetry } from '../lib/apollo-server.js';
import { createTokenVerifier } from '../lib/auth.js';
import { createCachedVerifier } from '../lib/cached-verifier.js';
import type { Config } from '../lib/config.js';
import { serveGraphQL, type ReadinessCheck, type ServiceHandle } from '../lib/http-server.js';
import { createLogger } from '../lib/logger.js';
import { createMetricsRoute } from '../lib/metrics-route.js';
import { createQueryPreflight } from '../lib/query-preflight.js';
import { createRateLimiter } from '../lib/rate-limiter.js';
import { createRedis } from '../lib/redis.js';
import { createOperationSpanPlugin } from '../lib/operation-span.js';
import { createRequestMetricsPlugin } from '../lib/request-metrics.js';
import { createTracing } from '../lib/tracing.js';
import type { GatewayContext } from './context.js';
import { createGatewayFormatError } from './format-error.js';
import { createGatewayMetrics } from './metrics.js';
import { createPlaygroundRoute } from './playground.js';
import { createQueryAnalyticsPlugin } from './query-analytics.js';
import { createHealthCheck, createRedisCheck } from './readiness.js';
import { RedisKeyValueCache } from './redis-key-value-cache.js';
import { createResponseCache } from './response-cache.js';
import { followStageEpoch } from '../lib/stage-epoch.js';
import { createSafelistPlugin, loadSafelist } from './safelist.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { startSubscriptions } from './subscriptions/start-subscriptions.js';
import { createSupergraphIdentity } from './supergraph-identity.js';
import { createSupergraphManager, type SupergraphSource } from './supergraph-source.js';

export interface GatewayOptions {
  /** Default `config.ports.gateway`; 0 picks a free port. */
  port?: number;
  /** Default: the file `config.gateway.supergraphFile`, watched for changes. */
  supergraph?: SupergraphSource;
  /** Overrides of `config.gateway` (tests turn the response cache off; `npm start` names the subgraphs' URLs). */
  settings?: Partial<Config['gateway']>;
  /** Overrides of `config.limits` and `config.rateLimits` (tests use small ones). */
  limits?: Partial<Config['limits']>;
  rateLimits?: Partial<Config['rateLimits']>;
  /** Overrides `config.tracing` (tests run a gateway that exports nothing beside one that does). */
  tracing?: Config['tracing'];
  /** Prefix of every Redis key the gateway writes (APQ, rate limits, response cache); default `gw:`. */
  redisPrefix?: string;
}

/** Starts the federation gateway over the subgraphs of a supergraph; returns its handle. */
export async function startGateway(baseConfig: Config, options: GatewayOptions = {}): Promise<ServiceHandle> {
  const config: Config = {
    ...baseConfig,
    gateway: { ...baseConfig.gateway, ...options.settings },
    limits: { ...baseConfig.limits, ...options.limits },
    rateLimits: { ...baseConfig.rateLimits, ...options.rateLimits },
    tracing: options.tracing ?? baseConfig.tracing,
  };
  const settings = config.gateway;
  const prefix = options.redisPrefix ?? 'gw:';
  const logger = createLogger(config, 'gateway');
  const redis = createRedis(config.redis.url, 'gateway', { autoPipelining: true });
  const metrics = createGatewayMetrics();
  const tracing = createTracing(config, 'gateway');
  // Filled as the gateway learns its subgraphs from the supergraph; /readyz reads it per request.
  const readiness: Record<string, ReadinessCheck> = { redis: createRedisCheck(redis) };

  disableVendorTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl: createSupergraphManager(options.supergraph ?? { file: settings.supergraphFile }, { logger, auth: config.auth }),
    logger: createApolloLogger(logger),
    buildService: ({ name, url: routingUrl }) => {
      const url = (settings.subgraphUrls as Record<string, string | undefined>)[name] ?? routingUrl;
      if (!url) throw new Error(`subgraph ${name} has no URL in the supergraph`);
      readiness[`subgraph:${name}`] = createHealthCheck(url);
      return new SubgraphDataSource(name, url, { timeoutMs: settings.subgraphTimeoutMs, maxBatchOperations: config.limits.maxBatchOperations, maxBodyBytes: config.limits.maxBodyBytes, metrics, logger, tracer: tracing.tracer });
    },
  });
  const supergraphs = createSupergraphIdentity(gateway);

  const plugins: ApolloServerPlugin<GatewayContext>[] = [createRequestMetricsPlugin<GatewayContext>(metrics.registry, 'gateway'), createOperationSpanPlugin<GatewayContext>()];
  if (settings.safelistFile) plugins.push(createSafelistPlugin(await loadSafelist(settings.safelistFile)));
  const stageEpoch = settings.responseCache ? await followStageEpoch(redis, config.eventStreamPrefix, config.migration.stagePollMs) : undefined;
  const responseCache = stageEpoch ? await createResponseCache({ redis, metrics, logger, prefix: `${prefix}rc:`, supergraphs, stageEpoch: stageEpoch.current, admitAfter: settings.responseCacheAdmitAfter }) : undefined;
  if (responseCache) plugins.push(responseCache.plugin);
  // After the response cache, whose x-cache header tells whether the answer was a hit.
  plugins.push(createQueryAnalyticsPlugin(redis, config.eventStreamPrefix));

  const apollo = createGatewayServer<GatewayContext>(gateway, {
    config,
    logger,
    formatError: createGatewayFormatError(logger),
    persistedQueries: { cache: new RedisKeyValueCache(redis, `${prefix}apq:`), ttl: 86_400 },
    ...(responseCache ? { stringifyResult: responseCache.stringifyResult } : {}),
    plugins,
  });

  const addressGuard = createAddressGuard({ max: config.rateLimits.unauthenticatedPerAddress, windowSeconds: config.rateLimits.windowSeconds });
  const verify = createCachedVerifier(createTokenVerifier(config.auth));
  const rateLimiter = createRateLimiter(redis, {
    max: config.rateLimits.gateway,
    windowSeconds: config.rateLimits.windowSeconds,
    keyPrefix: `${prefix}rl:`,
    logger,
    onReject: () => metrics.rateLimited.inc(),
  });
  const admit = createAdmission({ verify, addressGuard, rateLimiter, limits: config.limits });
  const subscriptions = await startSubscriptions({ apollo, redis, config, prefix, logger, metrics, schema: supergraphs.current, verify, addressGuard, rateLimiter });

  const handle = await serveGraphQL<GatewayContext, AdmittedRequest>({
    name: 'gateway',
    apollo,
    port: options.port ?? config.ports.gateway,
    host: config.listenHost,
    admit,
    preflight: createQueryPreflight({ limits: config.limits, schema: supergraphs.current }),
    context: async (req, admitted) => ({
      viewer: admitted.viewer,
      authorization: req.headers.authorization ?? '',
      requestId: admitted.requestId,
      // the request id and trace come into every line from the active context (lib/logger)
      logger: logger.child({ sub: admitted.viewer.sub }),
      subgraphsTouched: new Set(),
    }),
    readiness,
    routes: {
      '/playground': createPlaygroundRoute({ addressGuard }),
      '/metrics': createMetricsRoute(metrics.registry, { token: config.metricsToken, production: config.nodeEnv === 'production' }),
    },
    upgrade: subscriptions.websocket.upgrade,
    eventStream: subscriptions.eventStream.handle,
    maxInFlight: config.limits.maxInFlight,
    bodyTimeoutMs: config.limits.bodyTimeoutMs,
    graceMs: config.shutdown.graceMs,
    tracer: tracing.tracer,
    onStopping: subscriptions.closeConnections,
    onStop: async () => {
      await subscriptions.stop();
      await responseCache?.stop();
      await stageEpoch?.stop();
      await redis.quit().catch(() => undefined);
      await tracing.shutdown();
    },
  });
  logger.info({ url: handle.url }, 'gateway listening');
  return handle;
}
