import { z } from 'zod';

/**
 * Every environment variable the project reads, parsed and validated once.
 * Defaults match `.env.example`; nothing else in the code base reads `process.env`.
 */

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const url = (protocols: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );
/** Heap and page-cache sizes as the JVM and Neo4j accept them: 512m, 1g... */
const memorySize = z.string().regex(/^\d+[kmg]$/i, 'must be a size such as 512m or 1g');
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),

  GATEWAY_PORT: port.default(4000),
  KNOWLEDGE_PORT: port.default(4001),
  OPERATIONS_PORT: port.default(4002),
  SEARCH_PORT: port.default(4003),

  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  NEO4J_URI: url(['bolt:', 'neo4j:', 'bolt+s:', 'neo4j+s:']).optional(),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().min(8, 'must have at least 8 characters (Neo4j refuses shorter)').default('synapseflow-dev'),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  QDRANT_URL: url(['http:', 'https:']).optional(),
  QDRANT_API_KEY: z.string().min(1).optional(),

  POSTGRES_PORT: port.default(5432),
  NEO4J_BOLT_PORT: port.default(7687),
  REDIS_PORT: port.default(6379),
  QDRANT_PORT: port.default(6333),

  STACK_DIR: z.string().min(1).default('.stack'),
  STACK_POSTGRES: z.enum(['auto', 'debian', 'pglite']).default('auto'),
  STACK_INSTALL_MISSING: bool.optional(),
  STACK_START_TIMEOUT_SECONDS: positiveInt.default(300),
  NEO4J_HEAP: memorySize.default('768m'),
  NEO4J_PAGECACHE: memorySize.default('256m'),

  EVENT_STREAM_PREFIX: z.string().regex(/^[a-z0-9:_-]+$/i, 'letters, digits, :, _ and - only').default('synapse'),
  OPERATIONS_VIEW_REFRESH_SECONDS: z.coerce.number().int().min(0).default(300),
  QDRANT_COLLECTION_PREFIX: z.string().regex(/^[a-z0-9_-]*$/i, 'letters, digits, _ and - only').default(''),
  EMBEDDINGS_URL: url(['http:', 'https:']).optional(),
  EMBEDDINGS_MODEL: z.string().min(1).optional(),
  EMBEDDINGS_DIMENSION: positiveInt.optional(),
  EMBEDDINGS_API_KEY: z.string().min(1).optional(),

  JWT_SECRET: z.string().min(32, 'must have at least 32 characters').default('dev-only-secret-change-me-0123456789abcdef'),
  JWKS_URL: url(['http:', 'https:']).optional(),
  JWT_ISSUER: z.string().min(1).default('synapseflow'),
  JWT_AUDIENCE: z.string().min(1).default('synapseflow-api'),

  GATEWAY_SUPERGRAPH: z.string().min(1).default('schema/supergraph.graphql'),
  GATEWAY_SUBGRAPH_TIMEOUT_MS: positiveInt.default(5000),
  GATEWAY_MAX_DEPTH: positiveInt.default(12),
  GATEWAY_MAX_ALIASES: positiveInt.default(30),
  GATEWAY_MAX_COST: positiveInt.default(50000),
  GATEWAY_MAX_BODY_BYTES: positiveInt.default(102400),
  GATEWAY_RATE_LIMIT: positiveInt.default(600),
  GATEWAY_RATE_WINDOW_SECONDS: positiveInt.default(60),
  GATEWAY_SAFELIST_FILE: z.string().min(1).optional(),
  GATEWAY_RESPONSE_CACHE: bool.default(true),
});

export type Env = z.infer<typeof envSchema>;

/** The name of every variable the project reads (for the check that .env.example documents them all). */
export const environmentVariables = Object.keys(envSchema.shape) as (keyof Env)[];

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  ports: { gateway: number; knowledge: number; operations: number; search: number };
  postgres: { url: string; external: boolean; port: number };
  neo4j: { uri: string; user: string; password: string; external: boolean; boltPort: number; heap: string; pageCache: string };
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
  auth: { jwtSecret: string; jwksUrl: string | undefined; issuer: string; audience: string };
  gateway: {
    /** Supergraph SDL file served (and watched for hot reload) by the gateway. */
    supergraphFile: string;
    /** Per-subgraph fetch timeout; a slower subgraph costs only its own fields. */
    subgraphTimeoutMs: number;
    limits: { maxDepth: number; maxAliases: number; maxCost: number; maxBodyBytes: number };
    /** At most `max` requests per identity per fixed window of `windowSeconds`. */
    rateLimit: { max: number; windowSeconds: number };
    /** File of allowed operation sha256 hashes (one a line); unset: any operation is allowed. */
    safelistFile: string | undefined;
    responseCache: boolean;
  };
  /**
   * Text embeddings for the search subgraph. Without `url`, the offline Universal Sentence
   * Encoder (512 dims, shipped in an npm package) is used; with it, an OpenAI-compatible
   * `/embeddings` endpoint, which then needs `model` and `dimension`.
   */
  embeddings: { url: string | undefined; model: string | undefined; dimension: number | undefined; apiKey: string | undefined };
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
  const underTest = env.NODE_ENV === 'test' || source.CI === 'true';
  return {
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    ports: { gateway: env.GATEWAY_PORT, knowledge: env.KNOWLEDGE_PORT, operations: env.OPERATIONS_PORT, search: env.SEARCH_PORT },
    postgres: {
      url: env.DATABASE_URL ?? `postgres://synapseflow:synapseflow@127.0.0.1:${env.POSTGRES_PORT}/synapseflow`,
      external: env.DATABASE_URL !== undefined,
      port: env.POSTGRES_PORT,
    },
    neo4j: {
      uri: env.NEO4J_URI ?? `bolt://127.0.0.1:${env.NEO4J_BOLT_PORT}`,
      user: env.NEO4J_USER,
      password: env.NEO4J_PASSWORD,
      external: env.NEO4J_URI !== undefined,
      boltPort: env.NEO4J_BOLT_PORT,
      heap: env.NEO4J_HEAP,
      pageCache: env.NEO4J_PAGECACHE,
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
    auth: { jwtSecret: env.JWT_SECRET, jwksUrl: env.JWKS_URL, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE },
    gateway: {
      supergraphFile: env.GATEWAY_SUPERGRAPH,
      subgraphTimeoutMs: env.GATEWAY_SUBGRAPH_TIMEOUT_MS,
      limits: {
        maxDepth: env.GATEWAY_MAX_DEPTH,
        maxAliases: env.GATEWAY_MAX_ALIASES,
        maxCost: env.GATEWAY_MAX_COST,
        maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
      },
      rateLimit: { max: env.GATEWAY_RATE_LIMIT, windowSeconds: env.GATEWAY_RATE_WINDOW_SECONDS },
      safelistFile: env.GATEWAY_SAFELIST_FILE,
      responseCache: env.GATEWAY_RESPONSE_CACHE,
    },
    embeddings: { url: env.EMBEDDINGS_URL, model: env.EMBEDDINGS_MODEL, dimension: env.EMBEDDINGS_DIMENSION, apiKey: env.EMBEDDINGS_API_KEY },
  };
}
