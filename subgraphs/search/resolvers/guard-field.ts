import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLResolveInfo } from 'graphql';
import { responsePathAsArray } from 'graphql';
import { AppError } from '../../../lib/errors.js';
import { authorize, type Action } from '../../../lib/policy.js';
import type { SearchContext } from '../context.js';
import { validateCount } from '../validation.js';

/**
 * Runs a search field once the collections are there. When the vector store is unavailable
 * (outage, refused dimension), the field answers `fallback` and its error is added to the
 * response with the field's path, so the rest of the query (other fields, other subgraphs)
 * still resolves. Other errors throw.
 */
export async function guardSearchField<T>(context: SearchContext, info: GraphQLResolveInfo, fallback: T, run: () => Promise<T>): Promise<T> {
  try {
    await context.services.ensureCollections();
    return await run();
  } catch (error) {
    if (!(error instanceof AppError) || error.extensions.code !== 'UNAVAILABLE') throw error;
    context.services.logger.warn({ err: error.cause ?? error, path: responsePathAsArray(info.path) }, 'search field degraded');
    context.fieldErrors.push({ message: error.message, path: responsePathAsArray(info.path), extensions: { ...error.extensions } });
    return fallback;
  }
}

/**
 * A list field of the search subgraph: the caller's permission (lib/policy), its size argument
 * within range, then the field itself under guardSearchField (an outage answers an empty list).
 */
export function searchList<T>(
  context: SearchContext,
  info: GraphQLResolveInfo,
  action: Action,
  size: { value: number; range: { min: number; max: number }; name: string },
  run: (size: number) => Promise<T[]>,
): Promise<T[]> {
  authorize(context.viewer, action);
  const checked = validateCount(size.value, size.range, size.name);
  return guardSearchField(context, info, [], () => run(checked));
}

/** Adds the errors `guardSearchField` collected to the response, beside the data. */
export const fieldErrorsPlugin: ApolloServerPlugin<SearchContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single' || contextValue.fieldErrors.length === 0) return;
        const result = response.body.singleResult;
        result.errors = [...(result.errors ?? []), ...contextValue.fieldErrors];
      },
    };
  },
};
