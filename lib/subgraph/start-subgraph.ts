import type { ApolloServerPlugin } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode } from 'graphql';
import { Registry } from 'prom-client';
import { collectProcessMetrics } from '../process-metrics.js';
import { createAddressGuard } from '../address-guard.js';
import { createAdmission, type AdmittedRequest } from '../admission.js';
import { createSchemaServer } from '../apollo-server.js';
import type { Viewer } from '../auth.js';
import { createTokenVerifier } from '../auth.js';
import { createCachedVerifier } from '../cached-verifier.js';
import type { Config } from '../config.js';
import { serveGraphQL, type ReadinessCheck, type RouteHandler, type ServiceHandle } from '../http-server.js';
import { createLogger, type Logger } from '../logger.js';
import { createMetricsRoute } from '../metrics-route.js';
import { createQueryPreflight } from '../query-preflight.js';
import { createRateLimiter } from '../rate-limiter.js';
import { createRedis, instrumentRedis } from '../redis.js';
import { createOperationSpanPlugin } from '../operation-span.js';
import { createRequestMetricsPlugin } from '../request-metrics.js';
import { createStoreMetrics, type StoreMetrics } from '../store-metrics.js';
import { createTracing } from '../tracing.js';
import { guardEntities } from './entities-guard.js';
import { checkResolversAgainstSchema, type Resolvers } from './resolvers.js';
import { applyTypeVisibility } from './type-visibility.js';

/** What every resolver of every subgraph sees: the verified caller, the request id, a logger that carries both. */
export interface RequestScope {
  viewer: Viewer;
  requestId: string;
  logger: Logger;
}

/** Routes beside /graphql that need the same door (auth, limits) as GraphQL requests. */
export type Admit = (req: Parameters<RouteHandler>[0]) => Promise<AdmittedRequest>;

/** What the skeleton gives a subgraph to build itself with: its logger and its metrics registry. */
export interface SubgraphKit {
  logger: Logger;
  /** /metrics serves it, with the request metrics added. */
  metrics: Registry;
  /** Store call timing into `metrics`: each store client module instruments its client with it. */
  storeMetrics: StoreMetrics;
}

/** One subgraph, as lib/subgraph starts it. Each subgraph's server.ts builds one from its stores. */
export interface SubgraphDefinition<TContext extends RequestScope> {
  /** SDL and resolvers (each subgraph's schema.ts and resolvers/). */
  schema: { typeDefs: DocumentNode; resolvers: Resolvers<TContext> };
  /** Readies the store (migrations, constraints, collections); idempotent, runs before anything is served. */
  prepare?(): Promise<void>;
  /** The per-request context on top of the request scope (fresh DataLoaders: no cache crosses callers). */
  context(scope: RequestScope): TContext;
  readiness: Record<string, ReadinessCheck>;
  routes?(admit: Admit): Record<string, RouteHandler>;
  plugins?: ApolloServerPlugin<TContext>[];
  /** Starts background work (event consumers, relays, schedules) once prepared; returns what stops it (at the start of the drain: it serves no request). */
  startBackground?(): Promise<() => Promise<void>>;
  /** Releases the stores, after the server has drained and the background work stopped. */
  close(): Promise<void>;
}

export interface StartSubgraphOptions {
  name: string;
  port: number;
  /** Default: a logger named after the subgraph. */
  logger?: Logger;
}

/**
 * Starts a subgraph the one way all three start: prepare the store; build the schema from SDL and
 * resolvers (checked against each other), guard `_entities` and type visibility (lib/policy);
 * admit requests with the same limits as the gateway (token, rate limit per identity and per
 * address, body size); apply the query limits and error masking (lib/apollo-server); serve
 * /graphql, /healthz, /readyz (with saturation) and /metrics; stop in order.
 */
export async function startSubgraph<TContext extends RequestScope>(
  config: Config,
  options: StartSubgraphOptions,
  define: (kit: SubgraphKit) => SubgraphDefinition<TContext>,
): Promise<ServiceHandle> {
  const { name } = options;
  const logger = options.logger ?? createLogger(config, name);
  const registry = new Registry();
  const tracing = createTracing(config, name);
  const storeMetrics = createStoreMetrics(registry, name, tracing.tracer);
  const definition = define({ logger, metrics: registry, storeMetrics });
  await definition.prepare?.();
  const schema = buildSubgraphSchema([definition.schema]);
  checkResolversAgainstSchema(schema, definition.schema.resolvers);
  guardEntities(schema);
  applyTypeVisibility(schema);

  collectProcessMetrics(registry, `${name}_`);
  const redis = instrumentRedis(createRedis(config.redis.url, `${name}-limits`, { autoPipelining: true }), storeMetrics);
  const admit = createAdmission({
    verify: createCachedVerifier(createTokenVerifier(config.auth)),
    addressGuard: createAddressGuard({ max: config.rateLimits.unauthenticatedPerAddress, windowSeconds: config.rateLimits.windowSeconds }),
    rateLimiter: createRateLimiter(redis, { max: config.rateLimits.subgraph, windowSeconds: config.rateLimits.windowSeconds, keyPrefix: `sg:${name}:rl:`, logger }),
    limits: config.limits,
  });
  const apollo = createSchemaServer<TContext>(schema, {
    config,
    logger,
    plugins: [createRequestMetricsPlugin<TContext>(registry, name), createOperationSpanPlugin<TContext>(), ...(definition.plugins ?? [])],
  });
  const stopBackground = (await definition.startBackground?.()) ?? (async () => undefined);
  const handle = await serveGraphQL<TContext, AdmittedRequest>({
    name,
    apollo,
    port: options.port,
    host: config.listenHost,
    admit,
    preflight: createQueryPreflight({ limits: config.limits, schema: () => schema }),
    context: async (_req, admitted) =>
      // the request id and trace come into every line from the active context (lib/logger)
      definition.context({ viewer: admitted.viewer, requestId: admitted.requestId, logger: logger.child({ sub: admitted.viewer.sub }) }),
    readiness: definition.readiness,
    routes: { '/metrics': createMetricsRoute(registry, { token: config.metricsToken, production: config.nodeEnv === 'production' }), ...definition.routes?.(admit) },
    maxInFlight: config.limits.maxInFlight,
    bodyTimeoutMs: config.limits.bodyTimeoutMs,
    graceMs: config.shutdown.graceMs,
    tracer: tracing.tracer,
    onStopping: stopBackground,
    onStop: async () => {
      await definition.close();
      await redis.quit().catch(() => redis.disconnect());
      await tracing.shutdown();
    },
  });
  logger.info({ url: handle.url }, `${name} subgraph listening`);
  return handle;
}
