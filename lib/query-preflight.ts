import { GraphQLError, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { QueryLimitSettings } from './config.js';
import { checkQueryLimits } from './query-limits.js';

/** A GraphQL request as the HTTP layer has it, before Apollo sees it. */
export interface RawGraphQLRequest {
  method: string;
  /** The URL's query string (GET requests carry the operation there). */
  search: string;
  body: unknown;
}

/** Refuses a request before Apollo parses and validates it: the refusal, or undefined to let it through. */
export type Preflight = (request: RawGraphQLRequest) => GraphQLError | undefined;

function readOperation(request: RawGraphQLRequest): { query: string; variables: Record<string, unknown> } | undefined {
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    const query = params.get('query');
    if (!query) return undefined;
    try {
      const variables: unknown = JSON.parse(params.get('variables') ?? '{}');
      return { query, variables: variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : {} };
    } catch {
      return { query, variables: {} };
    }
  }
  const body = request.body as { query?: unknown; variables?: unknown } | undefined;
  if (!body || typeof body !== 'object' || typeof body.query !== 'string') return undefined;
  const variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
  return { query: body.query, variables };
}

/**
 * The query limits, checked before GraphQL's own validation runs: its rules compare fields and
 * fragments pairwise, so a small document within no limit could keep the event loop busy for
 * long. Parsed documents are remembered per query text (clients repeat theirs), so a known
 * query costs a map lookup and a linear walk. Documents that do not parse, and persisted queries
 * sent by hash, are left to Apollo (its parser has the same token limit; a persisted query passed
 * this check when it was registered, and the operation guard checks its cost again).
 */
export function createQueryPreflight(options: { limits: QueryLimitSettings; schema: () => GraphQLSchema | undefined; cacheSize?: number }): Preflight {
  const cacheSize = options.cacheSize ?? 1000;
  const documents = new Map<string, DocumentNode>();
  const parseOnce = (query: string): DocumentNode | undefined => {
    const known = documents.get(query);
    if (known) return known;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: options.limits.maxTokens });
    } catch {
      return undefined;
    }
    if (documents.size >= cacheSize) documents.delete(documents.keys().next().value as string);
    documents.set(query, document);
    return document;
  };
  const check = (request: RawGraphQLRequest): GraphQLError | undefined => {
    const operation = readOperation(request);
    const schema = options.schema();
    if (!operation || !schema) return undefined;
    const document = parseOnce(operation.query);
    if (!document) return undefined;
    try {
      checkQueryLimits(schema, document, operation.variables, options.limits);
      return undefined;
    } catch (error) {
      if (error instanceof GraphQLError) return error;
      throw error;
    }
  };
  // a batch (a subgraph's, lib/batch-operations) is refused whole when one of its operations would be
  return (request) => {
    if (!Array.isArray(request.body)) return check(request);
    for (const body of request.body) {
      const refusal = check({ ...request, body });
      if (refusal) return refusal;
    }
    return undefined;
  };
}
