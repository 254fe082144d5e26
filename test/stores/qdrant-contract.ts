import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { loadQdrantContract } from '../support/openapi.js';

/**
 * What the contract tests of the Qdrant stand-in share: the official JS client, raw requests, and
 * hooks that validate every response body against Qdrant's OpenAPI description. They pass against
 * a real Qdrant as well, except the stand-in's own 501s and the restart test.
 */
export function useQdrantContract() {
  const config = loadConfig();
  const contract = loadQdrantContract();
  const client = new QdrantClient({ url: config.qdrant.url, apiKey: config.qdrant.apiKey, checkCompatibility: false });
  const runId = `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const created = new Set<string>();
  const violations: string[] = [];
  const realFetch = globalThis.fetch;

  /** Every response the client (or a raw request) receives is checked against the spec. */
  beforeAll(() => {
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const response = await realFetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const path = new URL(url).pathname;
      // Legacy search left Qdrant's API in 1.19; the client still calls it. Its items are checked in its test.
      if (!path.endsWith('/points/search') && response.headers.get('content-type')?.includes('application/json')) {
        const body: unknown = await response.clone().json();
        try {
          contract.assertResponse(method, url, response.status, body);
        } catch (error) {
          violations.push((error as Error).message);
        }
      }
      return response;
    };
  });

  afterEach(() => {
    expect(violations.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    globalThis.fetch = realFetch;
    for (const name of created) await client.deleteCollection(name);
  });

  function collectionName(label: string): string {
    const name = `contract_${label}_${runId}`;
    created.add(name);
    return name;
  }

  /** A raw request, for what the client would refuse to send or to see the whole body. */
  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(new URL(path, config.qdrant.url), {
      method,
      headers: { 'content-type': 'application/json', ...(config.qdrant.apiKey ? { 'api-key': config.qdrant.apiKey } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  function expectError(response: { status: number; body: unknown }, status: number, message: string | RegExp): void {
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ status: { error: expect.stringMatching(message) }, time: expect.any(Number) });
  }

  function cosine(a: readonly number[], b: readonly number[]): number {
    const dot = a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
    return dot / (Math.hypot(...a) * Math.hypot(...b));
  }

  const fixtures = [
    { id: 1, vector: [1, 0, 0, 0], payload: { category: 'cardio', rank: 1, tags: ['a'] } },
    { id: 2, vector: [0.9, 0.1, 0, 0], payload: { category: 'cardio', rank: 2, tags: ['a', 'b'] } },
    { id: 3, vector: [0.6, 0.6, 0.2, 0], payload: { category: 'neuro', rank: 3 } },
    { id: 4, vector: [0.5, 0.3, 0.4, 0.1], payload: { category: 'cardio', rank: 4 } },
    { id: 5, vector: [0, 1, 0, 0], payload: { category: 'cardio', rank: 5 } },
    { id: 6, vector: [0.7, 0, 0.7, 0.1], payload: { category: 'onco', rank: 6 } },
    { id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', vector: [0.8, 0.2, 0.3, 0], payload: { category: 'cardio', rank: 7 } },
    { id: 8, vector: [0, 0, 0, 1], payload: { category: 'cardio', rank: 8 } },
  ];

  return { config, contract, client, runId, realFetch, collectionName, api, expectError, cosine, fixtures };
}
