import { QdrantClient } from '@qdrant/js-client-rest';
import type { Config } from '../../../lib/config.js';
import { AppError } from '../../../lib/errors.js';
import type { StoreMetrics } from '../../../lib/store-metrics.js';

export interface CollectionNames {
  chunks: string;
  entities: string;
  queries: string;
}

export function createCollectionNames(prefix: string): CollectionNames {
  return { chunks: `${prefix}document_chunks`, entities: `${prefix}entity_embeddings`, queries: `${prefix}query_cache` };
}

/** Only the common REST endpoints are used, so a real Qdrant and the stack's stand-in both work. */
export function createQdrantClient(qdrant: Config['qdrant'], timeoutMs = 10_000): QdrantClient {
  return new QdrantClient({ url: qdrant.url, apiKey: qdrant.apiKey, checkCompatibility: false, timeout: timeoutMs });
}

/** The client with every call timed under its method name (the client's fixed set of methods). */
export function instrumentQdrant(client: QdrantClient, metrics: StoreMetrics): QdrantClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...parameters: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? metrics.observe('qdrant', property, result) : result;
      };
    },
  });
}

/** Qdrant answered with a client error (4xx): the request was wrong, not the store down. */
function isRequestError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export const vectorStoreUnavailable = (): AppError =>
  new AppError('UNAVAILABLE', 'Semantic search is unavailable: the vector store (Qdrant) did not answer. Try again shortly.');

/**
 * Runs a Qdrant call; a connection failure, timeout or 5xx becomes the UNAVAILABLE AppError the
 * search fields report, while a 4xx (our bug) stays an internal error, masked and logged.
 */
export async function callQdrant<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError || isRequestError(error)) throw error;
    throw Object.assign(vectorStoreUnavailable(), { cause: error });
  }
}
