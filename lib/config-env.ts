import { z } from 'zod';
import { isKnownTimeZone } from './precise-time.js';

/**
 * Every environment variable the project reads, as it is validated; defaults match
 * `.env.example`. lib/config.ts turns the result into the Config the code uses.
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

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),

  /** The address every service listens on: loopback by default; 0.0.0.0 (all interfaces) in containers. */
  LISTEN_HOST: z
    .string()
    .regex(/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)$/i, 'must be an IP address or a host name')
    .default('127.0.0.1'),
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
  POSTGRES_POOL_MAX: positiveInt.default(10),
  POSTGRES_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  POSTGRES_IDLE_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  NEO4J_POOL_MAX: positiveInt.default(50),
  NEO4J_TRANSACTION_TIMEOUT_SECONDS: z.coerce.number().int().min(0).default(120),
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

  JWT_SECRET: z.string().min(32, 'must have at least 32 characters').optional(),
  JWKS_URL: url(['http:', 'https:']).optional(),
  JWT_ISSUER: z.string().min(1).default('synapseflow'),
  JWT_AUDIENCE: z.string().min(1).default('synapseflow-api'),
  JWT_MAX_LIFETIME_SECONDS: positiveInt.default(86_400),
  METRICS_TOKEN: z.string().min(32, 'must have at least 32 characters').optional(),
  /** The service-role token `npm run seed:demo` calls the gateway with; unset, it signs one with JWT_SECRET. */
  SEED_SERVICE_TOKEN: z.string().min(1).optional(),
  /** OpenTelemetry: the OTLP/HTTP collector's base URL (spans go to <url>/v1/traces); unset, nothing is exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
  /** Share of new traces recorded (a caller's sampled flag is followed), 0 to 1. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').default(1),
  /** How long finished spans wait before they are sent in one batch, milliseconds. */
  OTEL_BSP_SCHEDULE_DELAY: positiveInt.default(5000),
  SHUTDOWN_GRACE_SECONDS: positiveInt.default(10),

  QUERY_MAX_DEPTH: positiveInt.default(12),
  QUERY_MAX_ALIASES: positiveInt.default(30),
  QUERY_MAX_COST: positiveInt.default(50000),
  QUERY_MAX_TOKENS: positiveInt.default(5000),
  REQUEST_MAX_BODY_BYTES: positiveInt.default(102400),
  DOCUMENT_MAX_BODY_BYTES: positiveInt.default(4 * 1024 * 1024),
  RATE_WINDOW_SECONDS: positiveInt.default(60),
  GATEWAY_RATE_LIMIT: positiveInt.default(600),
  SUBGRAPH_RATE_LIMIT: positiveInt.default(3000),
  UNAUTHENTICATED_RATE_LIMIT: positiveInt.default(60),
  MAX_IN_FLIGHT_REQUESTS: positiveInt.default(512),
  SUBGRAPH_BATCH_MAX_OPERATIONS: positiveInt.max(100).default(8),
  REQUEST_BODY_TIMEOUT_MS: positiveInt.default(10_000),

  FEEDBACK_LIMIT_PER_PATIENT_PER_DAY: positiveInt.default(50),
  FEEDBACK_LIMIT_PER_ENTITY_PER_DAY: positiveInt.default(3),
  SEARCH_QUERY_LOG_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  /** Where the search subgraph reads a posted message to compute its passages ahead of its first read; default the local operations port. */
  SEARCH_OPERATIONS_URL: url(['http:', 'https:']).optional(),
  /** The service-role token it reads them with; unset, it signs one with JWT_SECRET; neither, passages are searched at a message's first read. */
  SEARCH_SERVICE_TOKEN: z.string().min(1).optional(),

  GATEWAY_SUPERGRAPH: z.string().min(1).default('schema/supergraph.graphql'),
  GATEWAY_SUBGRAPH_TIMEOUT_MS: positiveInt.default(5000),
  SUBSCRIPTIONS_PER_IDENTITY: positiveInt.default(20),
  SUBSCRIPTIONS_PER_GATEWAY: positiveInt.default(10_000),
  SUBSCRIPTION_REPLAY_LIMIT: positiveInt.default(1000),
  GATEWAY_KNOWLEDGE_URL: url(['http:', 'https:']).optional(),
  GATEWAY_OPERATIONS_URL: url(['http:', 'https:']).optional(),
  GATEWAY_SEARCH_URL: url(['http:', 'https:']).optional(),
  GATEWAY_SAFELIST_FILE: z.string().min(1).optional(),
  GATEWAY_RESPONSE_CACHE: bool.default(true),
  GATEWAY_RESPONSE_CACHE_ADMIT_AFTER: positiveInt.default(2),

  LEGACY_NEO4J_URI: url(['bolt:', 'neo4j:', 'bolt+s:', 'neo4j+s:']).optional(),
  LEGACY_NEO4J_USER: z.string().min(1).optional(),
  LEGACY_NEO4J_PASSWORD: z.string().min(1).optional(),
  LEGACY_TIMEZONE: z.string().refine(isKnownTimeZone, 'must be an IANA time zone such as UTC or Europe/Berlin').default('UTC'),
  ENABLE_POSTGRES_SESSIONS: bool.optional(),
  ENABLE_POSTGRES_FEEDBACK: bool.optional(),
  ENABLE_QDRANT_DOCUMENTS: bool.optional(),
  MIGRATION_SHADOW_TIMEOUT_MS: positiveInt.default(250),
  MIGRATION_SHADOW_MAX_IN_FLIGHT: positiveInt.default(32),
  MIGRATION_RELAY_INTERVAL_MS: positiveInt.default(1000),
  MIGRATION_STAGE_POLL_MS: positiveInt.default(500),
});

export type Env = z.infer<typeof envSchema>;

/** The name of every variable the project reads (for the check that .env.example documents them all). */
export const environmentVariables = Object.keys(envSchema.shape) as (keyof Env)[];
