import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export type Exchange = (post: (url: string, body: string) => Promise<string>) => Promise<void>;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Runs `exchange` in a loop from `clients` concurrent clients for `durationMs` (after a warm-up
 * that is not measured) over keep-alive connections; latency is per exchange, in ms.
 */
export async function runLoad(exchange: Exchange, options: { clients: number; durationMs: number; warmupMs: number; headers: Record<string, string> }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const post = (url: string, body: string) =>
    new Promise<string>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...options.headers } }, (res) => {
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

  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  let measuring = false;
  const warmupEnds = Date.now() + options.warmupMs;
  const ends = warmupEnds + options.durationMs;
  const client = async () => {
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
  agent.destroy();
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
