import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError, httpStatusOf } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';

/**
 * Why a subscription was not started, as both transports tell it: a GraphQLError a client may
 * read (an unexpected failure is logged and masked), its formatted form, and its HTTP status for
 * Server-Sent Events (which refuse before the stream starts).
 */

const statusByCode: Record<string, number> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export function asRefusal(error: unknown, logger: Logger): GraphQLError {
  if (error instanceof GraphQLError) return error;
  logger.error({ err: error }, 'a subscription could not be started');
  return new AppError('UNAVAILABLE', 'The subscription could not be started: try again');
}

/** The error as sent to a client: what `extensions.http` says is for the HTTP layer, not the body. */
export function formatRefusal(error: GraphQLError): GraphQLFormattedError {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return { message: error.message, ...(error.locations ? { locations: error.locations } : {}), extensions };
}

export function refusalStatus(error: GraphQLError): number {
  return httpStatusOf(error) ?? statusByCode[String(error.extensions.code)] ?? 400;
}
