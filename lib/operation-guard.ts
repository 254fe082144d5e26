import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { badInput, withHttpStatus, AppError } from './errors.js';
import { findNulCharacter } from './input-hygiene.js';
import { checkQueryLimits, type QueryLimits } from './query-limits.js';

const badRequest = (message: string) => withHttpStatus(new AppError('BAD_USER_INPUT', message), 400);

/**
 * The Apollo plugin of every service (gateway and subgraphs), once the operation is known: an
 * operation that exists, queries and mutations only, the query limits with the request's
 * variables (the preflight checked the text before validation; persisted queries sent by hash
 * are checked here), and no NUL character in any argument.
 */
export function createOperationGuard<TContext extends BaseContext>(limits: QueryLimits): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          const { operation, document } = request;
          if (!operation) {
            const named = request.request.operationName;
            throw badRequest(named ? `The document has no operation named "${named}"` : 'The document has several operations: name one in operationName');
          }
          if (operation.operation === 'subscription') throw badRequest('Subscriptions are not served as plain requests: the gateway serves them over WebSocket (graphql-transport-ws) and Server-Sent Events (Accept: text/event-stream) at /graphql');
          checkQueryLimits(request.schema, document, request.request.variables, limits);
          const nul = findNulCharacter(document, operation, request.request.variables);
          if (nul) throw withHttpStatus(badInput(`${nul} contains a NUL character, which no text may hold`, nul), 400);
        },
      };
    },
  };
}
