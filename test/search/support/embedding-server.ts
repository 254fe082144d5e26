import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real OpenAI-compatible `/embeddings` server for tests: deterministic bag-of-words vectors
 * (each word hashed to one of `dimension` buckets, then normalised), so texts sharing words
 * are near and expected search results can be reasoned about exactly.
 */
export interface EmbeddingServer {
  url: string;
  requests: { model: string; input: string[] }[];
  /** The next `count` requests answer 503. */
  failNext(count: number): void;
  close(): Promise<void>;
}

export function embedBagOfWords(text: string, dimension: number): number[] {
  const vector = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const bucket = createHash('sha256').update(word).digest().readUInt32BE(0) % dimension;
    vector[bucket] = (vector[bucket] ?? 0) + 1;
  }
  const length = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => value / length);
}

export async function startEmbeddingServer(dimension: number): Promise<EmbeddingServer> {
  const requests: EmbeddingServer['requests'] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url !== '/v1/embeddings' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      if (failures > 0) {
        failures -= 1;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('model overloaded');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string[] };
      requests.push(body);
      const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: embedBagOfWords(text, dimension) }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', model: body.model, data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext: (count) => {
      failures = count;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
