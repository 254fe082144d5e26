import { HeaderMap } from '@apollo/server';
import type { AppError } from '../lib/errors.js';

/**
 * Gives an error that rejects a whole request (not one field) its HTTP status and headers: Apollo
 * copies `extensions.http` onto the response. lib/errors sets a status for UNAUTHENTICATED only.
 */
export function withHttpStatus<T extends AppError>(error: T, status: number, headers: Record<string, string> = {}): T {
  Object.assign(error.extensions, { http: { status, headers: new HeaderMap(Object.entries(headers)) } });
  return error;
}
