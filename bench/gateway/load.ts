import { Agent, request } from 'node:http';
import { percentile } from '../../lib/percentile.js';

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

/** `headers` go on top of the pool's own (a caller's token, for instance). */
export type Post = (url: string, body: string, headers?: Record<string, string>) => Promise<string>;
export type Exchange = (post: Post) => Promise<void>;


/**
 * A JSON POST over a keep-alive pool of `sockets` connections that rejects unless the answer is
 * HTTP 200 without GraphQL errors; `close()` ends the pool.
 */
export function createPost(headers: Record<string, string>, sockets: number): { post: Post; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const post: Post = (url, body, extra = {}) =>
    new Promise<string>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers, ...extra } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200 || text.includes('"errors"')) reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          else resolve(text);
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

/**
 * Runs `exchange` in a loop from `clients` concurrent clients for `durationMs` (after a warm-up
 * that is not measured) over keep-alive connections; latency is per exchange, in ms. `headers`
 * may differ per client (a function of the client's index), e.g. one caller's token each.
 */
export async function runLoad(
  exchange: Exchange,
  options: { clients: number; durationMs: number; warmupMs: number; headers: Record<string, string> | ((client: number) => Record<string, string>) },
): Promise<LoadResult> {
  const { headers } = options;
  const pools =
    typeof headers === 'function'
      ? Array.from({ length: options.clients }, (_, client) => createPost(headers(client), 1))
      : [createPost(headers, options.clients)];
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  let measuring = false;
  const warmupEnds = Date.now() + options.warmupMs;
  const ends = warmupEnds + options.durationMs;
  const client = async (_: unknown, index: number) => {
    const { post } = pools[index % pools.length] as { post: Post };
    while (Date.now() < ends) {
      const started = performance.now();
      try {
        await exchange(post);
        if (measuring) latencies.push(performance.now() - started);
      } catch (error) {
        errors += 1;
        firstError ??= error;
      }
    }
  };
  const timer = setTimeout(() => (measuring = true), options.warmupMs);
  await Promise.all(Array.from({ length: options.clients }, client));
  clearTimeout(timer);
  for (const pool of pools) pool.close();
  if (firstError) console.error(`  first error: ${(firstError as Error).message}`);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / (options.durationMs / 1000),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}
