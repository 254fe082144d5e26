import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossStoreQuery } from '../../bench/gateway/cross-store.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { postGraphQL } from './support.js';
import { startCrohnSession, startRealWorld, type RealWorld } from './real-world.js';

/**
 * Every subgraph's /metrics after real traffic: store latency per store, pool use, event lag,
 * the outbox backlog and the query-vector cache, each with values the traffic put there.
 */
describe('metrics of every subgraph', () => {
  let world: RealWorld;
  let gateway: ServiceHandle;
  const scrape = async (service: keyof RealWorld['subgraphUrls']): Promise<string> => {
    const response = await fetch(world.subgraphUrls[service].replace(/\/graphql$/, '/metrics'));
    expect(response.status).toBe(200);
    return response.text();
  };
  /** The value of one series (labels in any order), or undefined when it is absent. */
  const valueOf = (text: string, name: string, labels: Record<string, string> = {}): number | undefined => {
    for (const line of text.split('\n')) {
      const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      const present = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));
      if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
    }
    return undefined;
  };

  beforeAll(async () => {
    world = await startRealWorld({ ingest: true });
    gateway = await world.startGateway({ settings: { responseCache: false } });
    const sessionId = await startCrohnSession(world, gateway.url);
    const reply = await postGraphQL(gateway.url, { query: crossStoreQuery, variables: { id: sessionId } }, world.tokens.a);
    expect(reply.body.errors).toBeUndefined();
    // a text of this world only: its vector is in no cache yet
    const search = { query: 'query ($text: String!) { semanticSearch(text: $text, k: 3) { score } }', variables: { text: `infliximab trough levels ${world.prefix}` } };
    for (let round = 0; round < 2; round += 1) expect((await postGraphQL(gateway.url, search, world.tokens.clinician)).body.errors).toBeUndefined();
  });
  afterAll(async () => world?.stop());

  it('knowledge: Neo4j and Redis call latency, the feedback lag', async () => {
    const text = await scrape('knowledge');
    expect(valueOf(text, 'knowledge_store_request_duration_seconds_count', { store: 'neo4j', operation: 'read' })).toBeGreaterThan(0);
    expect(valueOf(text, 'knowledge_store_request_duration_seconds_count', { store: 'redis' })).toBeGreaterThan(0);
    expect(valueOf(text, 'knowledge_store_errors_total', { store: 'neo4j', operation: 'read' }) ?? 0).toBe(0);
    expect(valueOf(text, 'knowledge_requests_total', { outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('operations: PostgreSQL statements by kind, pool use, outbox backlog, consumer lag', async () => {
    const text = await scrape('operations');
    expect(valueOf(text, 'operations_store_request_duration_seconds_count', { store: 'postgres', operation: 'select' })).toBeGreaterThan(0);
    expect(valueOf(text, 'operations_store_request_duration_seconds_count', { store: 'postgres', operation: 'insert' })).toBeGreaterThan(0);
    expect(valueOf(text, 'operations_store_pool_connections', { store: 'postgres', state: 'open' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'operations_store_pool_connections', { store: 'postgres', state: 'waiting' })).toBe(0);
    expect(valueOf(text, 'operations_outbox_pending_events')).toBeGreaterThanOrEqual(0);
    expect(valueOf(text, 'operations_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(text, 'operations_event_consumer_lag', { stream: `${world.config.eventStreamPrefix}:analytics` })).toBeGreaterThanOrEqual(0);
  });

  it('search: Qdrant calls by method, the query-vector cache hits and misses, the ingest lag', async () => {
    const text = await scrape('search');
    expect(valueOf(text, 'search_store_request_duration_seconds_count', { store: 'qdrant', operation: 'queryBatch' })).toBeGreaterThan(0);
    expect(valueOf(text, 'search_store_request_duration_seconds_count', { store: 'redis', operation: 'mget' })).toBeGreaterThan(0);
    // the same text twice: one miss, then one hit
    expect(valueOf(text, 'search_cache_lookups_total', { cache: 'query_vector', result: 'hit' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'search_cache_lookups_total', { cache: 'query_vector', result: 'miss' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'search_event_consumer_lag', { stream: `${world.config.eventStreamPrefix}:documents:ingest` })).toBe(0);
  });
});
