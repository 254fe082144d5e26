import { HeaderMap } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.js';

/** The stable codes clients can rely on in `extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'UNAVAILABLE';

// Only a request without valid credentials changes the HTTP status: a FORBIDDEN field is one
// error beside other data (a non-2xx subgraph answer would make the gateway drop that data).
const httpStatus: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401 };

/** An error meant for the client: its message and code are shown as they are. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    const status = httpStatus[code];
    super(message, { extensions: { code, ...details, ...(status ? { http: { status } } : {}) } });
    this.name = 'AppError';
  }
}

export const badInput = (message: string, field?: string) => new AppError('BAD_USER_INPUT', message, field ? { field } : {});
export const notFound = (what: string, id: string) => new AppError('NOT_FOUND', `${what} ${id} does not exist`, { id });
export const forbidden = (message = 'You are not allowed to do this') => new AppError('FORBIDDEN', message);
export const unauthenticated = (message = 'A valid bearer token is required') => new AppError('UNAUTHENTICATED', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);

/**
 * Gives an error that rejects a whole request (not one field) its HTTP status and headers: Apollo
 * and lib/http-server copy `extensions.http` onto the response.
 */
export function withHttpStatus<T extends GraphQLError>(error: T, status: number, headers: Record<string, string> = {}): T {
  Object.assign(error.extensions, { http: { status, headers: new HeaderMap(Object.entries(headers)) } });
  return error;
}

const isClientStatus = (status: number | undefined): boolean => status !== undefined && status >= 400 && status < 500;

/** The HTTP status an error asks for, if any. */
export function httpStatusOf(error: GraphQLError): number | undefined {
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Codes that GraphQL itself or Apollo produce for bad requests; safe to show. */
const clientFacingCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo `formatError`: AppErrors and GraphQL's own request errors pass through; anything
 * else is logged with its cause and replaced by a masked INTERNAL_SERVER_ERROR.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const code = formatted.extensions?.code;
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    if (original instanceof AppError || (typeof code === 'string' && clientFacingCodes.has(code))) return { ...formatted, extensions };
    // Apollo's own refusals of a request (persisted query mistakes) carry a 4xx status but no code
    if (error instanceof GraphQLError && !error.originalError && isClientStatus(httpStatusOf(error))) return { ...formatted, extensions: { ...extensions, code: 'BAD_REQUEST' } };
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
