import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { withHttpStatus } from './errors.js';

/**
 * The header in which a request whose body is a batch (a JSON array of GraphQL operations, which
 * the gateway sends to a subgraph) says how many it holds: admission charges the caller's rate
 * limit for each before the body is read. Without it a request holds one operation.
 */
export const batchOperationsHeader = 'x-graphql-operations';

const badRequest = (message: string) => withHttpStatus(new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } }), 400);

/** The operations a request declares (1 without the header); a 400 error unless a whole number from 1 to `max`. */
export function declaredOperations(req: IncomingMessage, max: number): number {
  const declared = req.headers[batchOperationsHeader];
  if (declared === undefined) return 1;
  const operations = typeof declared === 'string' && /^[1-9]\d{0,3}$/.test(declared) ? Number(declared) : Number.NaN;
  if (!(operations <= max)) throw badRequest(`The ${batchOperationsHeader} header must be a whole number from 1 to ${max}`);
  return operations;
}

/** A 400 error when the body holds another number of operations than the request declared. */
export function checkDeclaredOperations(body: unknown, declared: number): GraphQLError | undefined {
  const held = Array.isArray(body) ? body.length : 1;
  if (held === declared) return undefined;
  return badRequest(`The request holds ${held} operation${held === 1 ? '' : 's'} but declares ${declared} in its ${batchOperationsHeader} header`);
}
