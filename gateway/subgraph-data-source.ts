import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { Tracer } from '@opentelemetry/api';
import { AppError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { inClientSpan, withTraceHeaders } from '../lib/tracing.js';
import { createHttpFetcher } from './http-fetcher.js';
import { batchConcurrentFetches } from './subgraph-batching.js';
import { dedupeInflightQueries } from './inflight-dedupe.js';
import type { GatewayContext } from './context.js';
import type { GatewayMetrics } from './metrics.js';

/** UNAVAILABLE naming the subgraph: the client learns which fields are missing, not why inside. */
export function subgraphUnavailable(subgraph: string, reason: string): AppError {
  return new AppError('UNAVAILABLE', `Subgraph "${subgraph}" ${reason}`, { subgraph });
}

function classify(error: unknown): 'timeout' | 'unreachable' {
  const name = (error as Error | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable';
}

export interface SubgraphFetchOptions {
  timeoutMs: number;
  /** Parallel fetches of one request joined into one batch at most (gateway/subgraph-batching); 1 joins none. */
  maxBatchOperations: number;
  /** The subgraphs' body limit, which a batch's body stays within. */
  maxBodyBytes: number;
  metrics: GatewayMetrics;
  logger: Logger;
  tracer: Tracer;
}

/**
 * Fetches from one subgraph over a keep-alive pool under a per-subgraph timeout (identical
 * queries in flight share one fetch; one request's parallel fetches go out as one batch),
 * forwards the caller's Authorization, request id and trace context (each fetch a client span),
 * and turns transport failures into an error that names the subgraph; the gateway keeps the
 * fields other subgraphs resolved.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    url: string,
    private readonly options: SubgraphFetchOptions,
  ) {
    super({ url });
    this.fetcher = this.createFetcher();
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers || !context.requestId) return;
    headers.set('authorization', context.authorization);
    headers.set('x-request-id', context.requestId);
    context.subgraphsTouched.add(this.name);
  }

  override didEncounterError(error: Error, _request: unknown, response?: { status?: number }, context?: GatewayContext): never {
    const reason = response?.status ? 'http' : classify(error);
    this.options.metrics.subgraphErrors.inc({ subgraph: this.name, reason });
    (context?.logger ?? this.options.logger).warn({ err: error, subgraph: this.name, reason }, 'subgraph fetch failed');
    const text = reason === 'timeout' ? `did not answer within ${this.options.timeoutMs} ms` : reason === 'http' ? `answered HTTP ${response?.status}` : 'is unreachable';
    throw subgraphUnavailable(this.name, text);
  }

  private createFetcher(): Fetcher {
    const { tracer, timeoutMs } = this.options;
    const fetchOnce = batchConcurrentFetches(createHttpFetcher(timeoutMs), {
      maxOperations: this.options.maxBatchOperations,
      maxBytes: this.options.maxBodyBytes,
      onBatch: (operations) => this.options.metrics.subgraphBatchedOperations.inc({ subgraph: this.name }, operations),
    });
    // Timed and traced inside the de-duplication: the fetches the subgraph really receives (a
    // shared fetch belongs to the trace of the request that started it).
    return dedupeInflightQueries((url, init) =>
      inClientSpan(tracer, `POST ${this.name}`, { 'graphql.subgraph.name': this.name }, async () => {
        const stopTimer = this.options.metrics.subgraphFetch.startTimer({ subgraph: this.name });
        try {
          return await fetchOnce(url, { ...init, headers: withTraceHeaders(init?.headers) });
        } finally {
          stopTimer();
        }
      }),
    );
  }
}
