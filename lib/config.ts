import { envSchema, type Env } from './config-env.js';

/**
 * Every environment variable the project reads (lib/config-env), parsed and validated once;
 * nothing else in the code base reads `process.env`.
 */
/** Depth, alias, cost and size (lexical tokens) bounds of one GraphQL document; each a positive number. */
export interface QueryLimitSettings {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
}


export interface Config {
  nodeEnv: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  /** The address every service listens on (LISTEN_HOST). */
  listenHost: string;
  ports: { gateway: number; knowledge: number; operations: number; search: number };
  postgres: {
    url: string;
    external: boolean;
    port: number;
    /** Connections of a service's pool at most. */
    poolMax: number;
    /** A statement running longer is cancelled by PostgreSQL (0: no limit). */
    statementTimeoutMs: number;
    /** A connection idle inside an open transaction this long is closed by PostgreSQL, releasing its locks (0: no limit). */
    idleTransactionTimeoutMs: number;
  };
  neo4j: { uri: string; user: string; password: string; external: boolean; boltPort: number; heap: string; pageCache: string; poolMax: number; transactionTimeoutSeconds: number };
  redis: { url: string; external: boolean; port: number };
  qdrant: {
    url: string;
    apiKey: string | undefined;
    external: boolean;
    port: number;
    /** Put before every collection name, so tests (or tenants) can share one Qdrant. */
    collectionPrefix: string;
  };
  /** Redis stream names start with this (`<prefix>:feedback`...), so tests can isolate their events. */
  eventStreamPrefix: string;
  /** Operations subgraph: how often the analytics materialized views are refreshed (0: only on demand). */
  operations: { viewRefreshMs: number };
  stack: {
    dir: string;
    postgresMode: Env['STACK_POSTGRES'];
    /** Install a missing PostgreSQL server with apt (else PGlite); defaults to on under CI or NODE_ENV=test. Redis is always installed when missing. */
    installMissing: boolean;
    startTimeoutMs: number;
  };
  /**
   * Token verification: the keys at `jwksUrl`, else HS256 with `jwtSecret`. Production never
   * falls back to the development secret (loadConfig refuses to start without a real key).
   */
  auth: { jwtSecret: string | undefined; jwksUrl: string | undefined; issuer: string; audience: string; maxLifetimeSeconds: number };
  /** Bearer token that opens /metrics; without it only loopback callers outside production may scrape. */
  metricsToken: string | undefined;
  /** The token the demo seed calls the gateway with (SEED_SERVICE_TOKEN); unset, it signs one with JWT_SECRET. */
  seedServiceToken: string | undefined;
  /** W3C trace context is always propagated; spans are exported over OTLP/HTTP only when `otlpEndpoint` is set. */
  tracing: { otlpEndpoint: string | undefined; sampleRatio: number; exportDelayMs: number };
  /** How long a stopping service lets requests in flight finish. */
  shutdown: { graceMs: number };
  /** The same request limits in the gateway and in every subgraph (subgraphs can be reached directly). */
  limits: QueryLimitSettings & {
    maxBodyBytes: number;
    maxDocumentBodyBytes: number;
    maxInFlight: number;
    /** Operations one request to a subgraph may carry as a batch (the gateway joins its parallel fetches to a subgraph); 1 sends each on its own. */
    maxBatchOperations: number;
    bodyTimeoutMs: number;
  };
  /** Fixed-window limits: per identity at the gateway and at each subgraph, per address for requests without valid credentials. */
  rateLimits: { windowSeconds: number; gateway: number; subgraph: number; unauthenticatedPerAddress: number };
  /** How much feedback one patient may give in 24 h, in all and about any one entity. */
  feedbackLimits: { perPatientPerDay: number; perEntityPerDay: number };
  search: {
    /** Days a semanticSearch text stays in `query_cache` (0: none is kept). Message contents are never kept. */
    queryLogRetentionDays: number;
    /** Where a posted message is read from (the operations subgraph), to compute its supporting passages when it is written. */
    operationsUrl: string;
    /** The token it is read with (SEARCH_SERVICE_TOKEN); unset, one is signed with JWT_SECRET. */
    serviceToken: string | undefined;
  };
  gateway: {
    /** Supergraph SDL file served (and watched for hot reload) by the gateway. */
    supergraphFile: string;
    /** Per-subgraph fetch timeout; a slower subgraph costs only its own fields. */
    subgraphTimeoutMs: number;
    /** Where each subgraph is reached, instead of the routing URL in the supergraph (containers, other ports). */
    subgraphUrls: Partial<Record<'knowledge' | 'operations' | 'search', string>>;
    /** File of allowed operation sha256 hashes (one a line); unset: any operation is allowed. */
    safelistFile: string | undefined;
    responseCache: boolean;
    /** How many misses of one answer (within its max-age, over all replicas) before it is stored: 1 stores every answer; 2 leaves out the many asked for once. */
    responseCacheAdmitAfter: number;
    /** Live subscriptions (WebSocket and Server-Sent Events): at once per identity (all replicas) and per gateway, and events replayed to a client that reconnects. */
    subscriptions: { perIdentity: number; perGateway: number; replayLimit: number };
  };
  /**
   * Text embeddings for the search subgraph. Without `url`, the offline Universal Sentence
   * Encoder (512 dims, shipped in an npm package) is used; with it, an OpenAI-compatible
   * `/embeddings` endpoint, which then needs `model` and `dimension`.
   */
  embeddings: { url: string | undefined; model: string | undefined; dimension: number | undefined; apiKey: string | undefined };
  migration: {
    /** The legacy all-Neo4j store; by default the knowledge graph's Neo4j (whose graph the migration never touches). */
    legacy: { uri: string; user: string; password: string; timeZone: string };
    /**
     * The initial stage of each domain when none is stored: false `legacy`, true `dual_write`;
     * unset: `legacy` when the legacy store holds the domain's data, else `complete`.
     */
    initialDualWrite: { sessions: boolean | undefined; feedback: boolean | undefined; documents: boolean | undefined };
    /** How long a shadow read may take before it is counted as timed out; it never delays the response. */
    shadowTimeoutMs: number;
    /** Shadow reads in flight at most per process; beyond, comparisons are skipped (and counted). */
    shadowMaxInFlight: number;
    /** How often the relay looks for changes not yet applied to the other store (backing off while it is down). */
    relayIntervalMs: number;
    /** How often each process re-reads the stages (a change is also announced at once). */
    stagePollMs: number;
  };
}

/**
 * The HS256 secret of development and tests (it is printed in .env.example, so it is no secret):
 * production refuses it, and refuses to start without JWKS_URL or a secret of its own.
 */
export const developmentJwtSecret = 'dev-only-secret-change-me-0123456789abcdef';

function productionKeyProblems(env: Env): string[] {
  if (env.NODE_ENV !== 'production') return [];
  if (env.JWT_SECRET === developmentJwtSecret) return ['JWT_SECRET: the development secret of .env.example is refused in production; set JWKS_URL (or a secret of your own)'];
  if (!env.JWKS_URL && !env.JWT_SECRET) return ['JWKS_URL: required in production (the keys that sign your tokens), unless JWT_SECRET is set to a secret of your own'];
  return [];
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the given environment (default: `process.env`); throws ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const shown = present[name] === undefined ? '' : ` (got "${present[name]}")`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const env = parsed.data;
  const keyProblems = productionKeyProblems(env);
  if (keyProblems.length > 0) throw new ConfigError(keyProblems);
  const underTest = env.NODE_ENV === 'test' || source.CI === 'true';
  return {
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    listenHost: env.LISTEN_HOST,
    ports: { gateway: env.GATEWAY_PORT, knowledge: env.KNOWLEDGE_PORT, operations: env.OPERATIONS_PORT, search: env.SEARCH_PORT },
    postgres: {
      url: env.DATABASE_URL ?? `postgres://synapseflow:synapseflow@127.0.0.1:${env.POSTGRES_PORT}/synapseflow`,
      external: env.DATABASE_URL !== undefined,
      port: env.POSTGRES_PORT,
      poolMax: env.POSTGRES_POOL_MAX,
      statementTimeoutMs: env.POSTGRES_STATEMENT_TIMEOUT_MS,
      idleTransactionTimeoutMs: env.POSTGRES_IDLE_TRANSACTION_TIMEOUT_MS,
    },
    neo4j: {
      uri: env.NEO4J_URI ?? `bolt://127.0.0.1:${env.NEO4J_BOLT_PORT}`,
      user: env.NEO4J_USER,
      password: env.NEO4J_PASSWORD,
      external: env.NEO4J_URI !== undefined,
      boltPort: env.NEO4J_BOLT_PORT,
      heap: env.NEO4J_HEAP,
      pageCache: env.NEO4J_PAGECACHE,
      poolMax: env.NEO4J_POOL_MAX,
      transactionTimeoutSeconds: env.NEO4J_TRANSACTION_TIMEOUT_SECONDS,
    },
    redis: {
      url: env.REDIS_URL ?? `redis://127.0.0.1:${env.REDIS_PORT}`,
      external: env.REDIS_URL !== undefined,
      port: env.REDIS_PORT,
    },
    qdrant: {
      url: env.QDRANT_URL ?? `http://127.0.0.1:${env.QDRANT_PORT}`,
      apiKey: env.QDRANT_API_KEY,
      external: env.QDRANT_URL !== undefined,
      port: env.QDRANT_PORT,
      collectionPrefix: env.QDRANT_COLLECTION_PREFIX,
    },
    eventStreamPrefix: env.EVENT_STREAM_PREFIX,
    operations: { viewRefreshMs: env.OPERATIONS_VIEW_REFRESH_SECONDS * 1000 },
    stack: {
      dir: env.STACK_DIR,
      postgresMode: env.STACK_POSTGRES,
      installMissing: env.STACK_INSTALL_MISSING ?? underTest,
      startTimeoutMs: env.STACK_START_TIMEOUT_SECONDS * 1000,
    },
    auth: {
      jwtSecret: env.JWT_SECRET ?? (env.NODE_ENV === 'production' ? undefined : developmentJwtSecret),
      jwksUrl: env.JWKS_URL,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      maxLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS,
    },
    metricsToken: env.METRICS_TOKEN,
    seedServiceToken: env.SEED_SERVICE_TOKEN,
    tracing: { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, sampleRatio: env.OTEL_TRACES_SAMPLER_ARG, exportDelayMs: env.OTEL_BSP_SCHEDULE_DELAY },
    shutdown: { graceMs: env.SHUTDOWN_GRACE_SECONDS * 1000 },
    limits: {
      maxDepth: env.QUERY_MAX_DEPTH,
      maxAliases: env.QUERY_MAX_ALIASES,
      maxCost: env.QUERY_MAX_COST,
      maxTokens: env.QUERY_MAX_TOKENS,
      maxBodyBytes: env.REQUEST_MAX_BODY_BYTES,
      maxDocumentBodyBytes: env.DOCUMENT_MAX_BODY_BYTES,
      maxInFlight: env.MAX_IN_FLIGHT_REQUESTS,
      maxBatchOperations: env.SUBGRAPH_BATCH_MAX_OPERATIONS,
      bodyTimeoutMs: env.REQUEST_BODY_TIMEOUT_MS,
    },
    rateLimits: {
      windowSeconds: env.RATE_WINDOW_SECONDS,
      gateway: env.GATEWAY_RATE_LIMIT,
      subgraph: env.SUBGRAPH_RATE_LIMIT,
      unauthenticatedPerAddress: env.UNAUTHENTICATED_RATE_LIMIT,
    },
    feedbackLimits: { perPatientPerDay: env.FEEDBACK_LIMIT_PER_PATIENT_PER_DAY, perEntityPerDay: env.FEEDBACK_LIMIT_PER_ENTITY_PER_DAY },
    search: {
      queryLogRetentionDays: env.SEARCH_QUERY_LOG_RETENTION_DAYS,
      operationsUrl: env.SEARCH_OPERATIONS_URL ?? `http://127.0.0.1:${env.OPERATIONS_PORT}/graphql`,
      serviceToken: env.SEARCH_SERVICE_TOKEN,
    },
    gateway: {
      supergraphFile: env.GATEWAY_SUPERGRAPH,
      subgraphTimeoutMs: env.GATEWAY_SUBGRAPH_TIMEOUT_MS,
      subgraphUrls: {
        ...(env.GATEWAY_KNOWLEDGE_URL ? { knowledge: env.GATEWAY_KNOWLEDGE_URL } : {}),
        ...(env.GATEWAY_OPERATIONS_URL ? { operations: env.GATEWAY_OPERATIONS_URL } : {}),
        ...(env.GATEWAY_SEARCH_URL ? { search: env.GATEWAY_SEARCH_URL } : {}),
      },
      safelistFile: env.GATEWAY_SAFELIST_FILE,
      responseCache: env.GATEWAY_RESPONSE_CACHE,
      responseCacheAdmitAfter: env.GATEWAY_RESPONSE_CACHE_ADMIT_AFTER,
      subscriptions: { perIdentity: env.SUBSCRIPTIONS_PER_IDENTITY, perGateway: env.SUBSCRIPTIONS_PER_GATEWAY, replayLimit: env.SUBSCRIPTION_REPLAY_LIMIT },
    },
    embeddings: { url: env.EMBEDDINGS_URL, model: env.EMBEDDINGS_MODEL, dimension: env.EMBEDDINGS_DIMENSION, apiKey: env.EMBEDDINGS_API_KEY },
    migration: {
      legacy: {
        uri: env.LEGACY_NEO4J_URI ?? env.NEO4J_URI ?? `bolt://127.0.0.1:${env.NEO4J_BOLT_PORT}`,
        user: env.LEGACY_NEO4J_USER ?? env.NEO4J_USER,
        password: env.LEGACY_NEO4J_PASSWORD ?? env.NEO4J_PASSWORD,
        timeZone: env.LEGACY_TIMEZONE,
      },
      initialDualWrite: { sessions: env.ENABLE_POSTGRES_SESSIONS, feedback: env.ENABLE_POSTGRES_FEEDBACK, documents: env.ENABLE_QDRANT_DOCUMENTS },
      shadowTimeoutMs: env.MIGRATION_SHADOW_TIMEOUT_MS,
      shadowMaxInFlight: env.MIGRATION_SHADOW_MAX_IN_FLIGHT,
      relayIntervalMs: env.MIGRATION_RELAY_INTERVAL_MS,
      stagePollMs: env.MIGRATION_STAGE_POLL_MS,
    },
  };
}
