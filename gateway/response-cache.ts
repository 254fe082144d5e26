import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';
import type { Viewer } from '../lib/auth.js';
import type { Logger } from '../lib/logger.js';
import { visibilityKey } from '../lib/policy.js';
import type { GatewayContext } from './context.js';
import type { GatewayMetrics } from './metrics.js';
import { selectedTypesOf } from './operation-types.js';
import type { SupergraphIdentity } from './supergraph-identity.js';

interface CachedEntry {
  data: Record<string, unknown>;
  expiresAt: number;
  tags: readonly string[];
}

export interface ResponseCache {
  plugin: ApolloServerPlugin<GatewayContext>;
  /** Apollo Server's `stringifyResult`: a hit's body is serialized once per entry, not per response. */
  stringifyResult(result: FormattedExecutionResult): string;
  /** Drops every entry that touched one of `types`, here and (via pub/sub) in every replica. */
  invalidate(types: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Every entry is keyed by what decides what its caller may see (lib/policy: role and, for a
 * patient, the patient id), so callers who may see different things never share one; PRIVATE
 * entries also by the caller itself (`sub`).
 */
export function scopeKey(viewer: Viewer, scope: 'PUBLIC' | 'PRIVATE'): string {
  return scope === 'PRIVATE' ? `p:${visibilityKey(viewer)}:${viewer.sub}` : `a:${visibilityKey(viewer)}`;
}

/** Apollo Server's own serialization of a result. */
const serialize = (result: FormattedExecutionResult): string => `${JSON.stringify(result)}\n`;

/**
 * The request (operation, its name and variables) under the supergraph it is planned on and the
 * migration stages it is answered under: neither a reload nor a stage change (which may send
 * reads to the other store) ever serves answers of before.
 */
function requestKey(request: GraphQLRequestContext<GatewayContext>, supergraphs: SupergraphIdentity, stageEpoch: string): string {
  const { query, operationName, variables } = request.request;
  const operation = createHash('sha256').update(JSON.stringify([query ?? request.queryHash, operationName ?? null, variables ?? {}, stageEpoch])).digest('hex');
  return `${supergraphs.idOf(request.schema)}:${operation}`;
}

/**
 * Response cache in Redis (shared by replicas) with a small in-process layer in front.
 * Only queries answered without errors whose subgraphs sent cache hints (max-age > 0) are stored,
 * for that max-age, once they were missed `admitAfter` times. A mutation invalidates every entry
 * tagged with a type it returns; other replicas drop their local copies when the invalidation
 * arrives on the pub/sub channel.
 */
export async function createResponseCache(deps: {
  redis: Redis;
  metrics: GatewayMetrics;
  logger: Logger;
  prefix?: string;
  localEntries?: number;
  supergraphs: SupergraphIdentity;
  /** The migration stages' epoch now (lib/stage-epoch). */
  stageEpoch: () => string;
  /** The miss of an answer (within its max-age, counted over all replicas) at which it is stored; default 1, every answer. */
  admitAfter?: number;
}): Promise<ResponseCache> {
  const prefix = deps.prefix ?? 'gw:rc:';
  const admitAfter = deps.admitAfter ?? 1;
  const channel = `${prefix}invalidate`;
  const maxLocal = deps.localEntries ?? 1000;
  const local = new Map<string, CachedEntry>();
  // Keyed by an entry's data object, which only that entry's hits hand to Apollo.
  const serializedBodies = new WeakMap<object, string>();
  const subscriber = deps.redis.duplicate();
  await subscriber.subscribe(channel);
  subscriber.on('message', (_channel: string, message: string) => dropLocal(JSON.parse(message) as string[]));

  function dropLocal(types: readonly string[]): void {
    for (const [key, entry] of local) if (entry.tags.some((tag) => types.includes(tag))) local.delete(key);
  }

  /** `body`: the entry's response as Apollo serializes it, made once for both layers and every hit. */
  function remember(key: string, entry: CachedEntry, body: string): void {
    if (local.size >= maxLocal) local.delete(local.keys().next().value as string);
    local.set(key, entry);
    serializedBodies.set(entry.data, body);
  }

  // In Redis: the entry's expiry and tags as JSON, a newline (which JSON never holds), the body.
  const toStored = ({ expiresAt, tags }: CachedEntry, body: string) => `${JSON.stringify({ expiresAt, tags })}\n${body}`;
  function fromStored(value: string): { entry: CachedEntry; body: string } | undefined {
    const split = value.indexOf('\n');
    if (split < 0) return undefined; // written in another layout (an older replica): a miss
    const body = value.slice(split + 1);
    const { expiresAt, tags } = JSON.parse(value.slice(0, split)) as Omit<CachedEntry, 'data'>;
    return { entry: { data: (JSON.parse(body) as { data: Record<string, unknown> }).data, expiresAt, tags }, body };
  }

  async function lookup(keys: string[]): Promise<CachedEntry | undefined> {
    for (const key of keys) {
      const entry = local.get(key);
      if (entry && entry.expiresAt > Date.now()) return entry;
      if (entry) local.delete(key);
    }
    const stored = await deps.redis.mget(keys.map((key) => prefix + key));
    const index = stored.findIndex((value) => value !== null);
    const key = keys[index];
    const value = stored[index];
    const found = key !== undefined && value ? fromStored(value) : undefined;
    if (key === undefined || !found) return undefined;
    remember(key, found.entry, found.body);
    return found.entry;
  }

  async function store(key: string, entry: CachedEntry, maxAge: number): Promise<void> {
    const body = serialize({ data: entry.data });
    remember(key, entry, body);
    const multi = deps.redis.multi().set(prefix + key, toStored(entry, body), 'EX', maxAge);
    for (const tag of entry.tags) multi.sadd(`${prefix}tag:${tag}`, key).expire(`${prefix}tag:${tag}`, 86_400);
    await multi.exec();
  }

  /**
   * Whether this miss of `key` is one to store. Most reads of many callers reading different
   * records are asked for once: storing them costs more than their rare hits save. So an answer
   * is stored at its `admitAfter`-th miss within its max-age; the counter is a small Redis key.
   */
  async function admits(key: string, maxAge: number): Promise<boolean> {
    if (admitAfter <= 1) return true;
    const missesKey = `${prefix}misses:${key}`;
    const [counted] = (await deps.redis.multi().incr(missesKey).expire(missesKey, maxAge, 'NX').exec()) ?? [];
    if (!counted || counted[0]) throw counted?.[0] ?? new Error('the miss count was not read');
    return Number(counted[1]) >= admitAfter;
  }

  async function invalidate(types: readonly string[]): Promise<void> {
    if (types.length === 0) return;
    dropLocal(types);
    for (const type of types) {
      const tagKey = `${prefix}tag:${type}`;
      const keys = await deps.redis.smembers(tagKey);
      await deps.redis.del(tagKey, ...keys.map((key) => prefix + key));
    }
    await deps.redis.publish(channel, JSON.stringify(types));
  }

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      let hit = false;
      let baseKey = '';
      return {
        async responseForOperation(request) {
          if (request.operation?.operation !== 'query' || request.contextValue.fresh) return null;
          const viewer = request.contextValue.viewer;
          baseKey = requestKey(request, deps.supergraphs, deps.stageEpoch());
          const entry = await lookup([`${scopeKey(viewer, 'PRIVATE')}:${baseKey}`, `${scopeKey(viewer, 'PUBLIC')}:${baseKey}`]).catch((error: unknown) => {
            request.contextValue.logger.warn({ err: error }, 'response cache lookup failed');
            return undefined;
          });
          deps.metrics.cacheLookups.inc({ result: entry ? 'hit' : 'miss' });
          if (!entry) return null;
          hit = true;
          return { http: { status: undefined, headers: new HeaderMap([['x-cache', 'HIT']]) }, body: { kind: 'single', singleResult: { data: entry.data } } };
        },
        async willSendResponse(request) {
          const { operation, document, schema, response, contextValue } = request;
          if (hit || !operation || !document || response.body.kind !== 'single' || contextValue.fresh) return;
          const result = response.body.singleResult;
          const tags = selectedTypesOf(schema, document, operation);
          try {
            if (operation.operation === 'mutation') return await invalidate(tags);
            const policy = request.overallCachePolicy.policyIfCacheable();
            if (operation.operation !== 'query' || !policy || result.errors?.length || !result.data) return;
            response.http.headers.set('x-cache', 'MISS');
            const key = `${scopeKey(contextValue.viewer, policy.scope === 'PUBLIC' ? 'PUBLIC' : 'PRIVATE')}:${baseKey}`;
            if (await admits(key, policy.maxAge)) await store(key, { data: result.data, expiresAt: Date.now() + policy.maxAge * 1000, tags }, policy.maxAge);
          } catch (error) {
            contextValue.logger.warn({ err: error }, 'response cache update failed');
          }
        },
      };
    },
  };

  return {
    plugin,
    stringifyResult: (result) => (!result.errors && !result.extensions && result.data && serializedBodies.get(result.data)) || serialize(result),
    invalidate,
    stop: async () => {
      await subscriber.quit().catch(() => undefined);
    },
  };
}
