import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { signDevToken, type Role } from '../../../lib/auth.js';
import { loadConfig, type Config } from '../../../lib/config.js';
import { publishEvent, type DurableEvent } from '../../../lib/events.js';
import type { ServiceHandle } from '../../../lib/http-server.js';
import { createRedis } from '../../../lib/redis.js';
import { streamName } from '../../../lib/event-contracts.js';
import type { IngestRequestedPayload } from '../../../subgraphs/search/ingest/events.js';

/** The streams a search subgraph reads and writes, under a test's prefix. */
function createStreamNames(prefix: string) {
  return { ingest: streamName(prefix, 'documentsIngest'), results: streamName(prefix, 'documentsResults'), entities: streamName(prefix, 'entities') };
}
export type StreamNames = ReturnType<typeof createStreamNames>;
import { startSearch, type StartSearchOptions } from '../../../subgraphs/search/server.js';
import { createCollectionNames, createQdrantClient } from '../../../subgraphs/search/store/qdrant.js';

/** A search subgraph on port 0 with its own collection prefix and event streams. */
export interface SearchEnv {
  config: Config;
  service: ServiceHandle;
  redis: Redis;
  streams: StreamNames;
  token(role?: Role): Promise<string>;
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, role?: Role | null): Promise<{ data?: T; errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[] }>;
  stop(): Promise<void>;
}

export function createTestConfig(overrides: Record<string, string> = {}): Config {
  const id = randomUUID().slice(0, 8);
  return loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', QDRANT_COLLECTION_PREFIX: `test_${id}_`, EVENT_STREAM_PREFIX: `test:${id}`, ...overrides });
}

export async function startSearchEnv(config: Config, options: StartSearchOptions = {}): Promise<SearchEnv> {
  const service = await startSearch(config, 0, { consumers: { blockMs: 100 }, ...options });
  const redis = createRedis(config.redis.url, 'search-test');
  const streams = createStreamNames(config.eventStreamPrefix);
  const token = (role: Role = 'clinician') => signDevToken(config.auth, { sub: `test-${role}`, role, ...(role === 'patient' ? { patientId: 'p-test' } : {}) });
  return {
    config,
    service,
    redis,
    streams,
    token,
    async graphql(query, variables = {}, role = 'clinician') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (role) headers.authorization = `Bearer ${await token(role)}`;
      const response = await fetch(service.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return (await response.json()) as never;
    },
    async stop() {
      await service.stop();
      await dropTestState(config, redis);
      redis.disconnect();
    },
  };
}

/** Removes what a test made: its collections and its streams (names unique to the test). */
export async function dropTestState(config: Config, redis: Redis): Promise<void> {
  const qdrant = createQdrantClient(config.qdrant);
  for (const name of Object.values(createCollectionNames(config.qdrant.collectionPrefix))) {
    if ((await qdrant.collectionExists(name)).exists) await qdrant.deleteCollection(name);
  }
  const streams = createStreamNames(config.eventStreamPrefix);
  await redis.del(streams.ingest, streams.results, streams.entities);
}

/** Publishes `document.ingest.requested` exactly as the operations subgraph does and waits for the outcome. */
export async function ingestViaEvent(
  env: Pick<SearchEnv, 'redis' | 'streams'>,
  document: Partial<IngestRequestedPayload> & { documentId: string },
  attempt = 1,
): Promise<{ kinds: string[]; outcome: DurableEvent<Record<string, unknown>> }> {
  const payload: IngestRequestedPayload = { filename: `${document.documentId}.md`, title: null, source: 'test', content: '', ...document };
  await publishEvent(env.redis, env.streams.ingest, { id: `ingest:${document.documentId}:${attempt}`, type: 'document.ingest.requested', payload });
  const prefix = `ingest-result:${document.documentId}:${attempt}:`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const events = await readEvents(env.redis, env.streams.results);
    const mine = events.filter((event) => event.id.startsWith(prefix));
    const outcome = mine.find((event) => event.type !== 'document.ingest.started');
    if (outcome) return { kinds: mine.map((event) => event.type), outcome };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ingest result for ${document.documentId} attempt ${attempt} within 60 s`);
}

export async function readEvents(redis: Redis, stream: string): Promise<DurableEvent<Record<string, unknown>>[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.map(([, fields]) => {
    const record = new Map<string, string>();
    for (let index = 0; index + 1 < fields.length; index += 2) record.set(fields[index] as string, fields[index + 1] as string);
    return { id: record.get('id') ?? '', type: record.get('type') ?? '', version: Number(record.get('version') ?? 1), payload: JSON.parse(record.get('payload') ?? '{}') as Record<string, unknown>, publishedAt: record.get('publishedAt') ?? '' };
  });
}

/** Publishes `entity.upserted` as the knowledge subgraph does. */
export function publishEntity(env: Pick<SearchEnv, 'redis' | 'streams'>, entity: { id: string; name: string; type: string; layer: string; description?: string | null }, version = 1): Promise<string> {
  return publishEvent(env.redis, env.streams.entities, { id: `entity:${entity.id}:${version}`, type: 'entity.upserted', payload: { description: null, ...entity } });
}

/** Polls until `check` holds (the consumers work asynchronously). */
export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
