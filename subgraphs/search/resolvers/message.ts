import type { GraphQLResolveInfo } from 'graphql';
import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { SearchContext } from '../context.js';
import { findPassages } from '../find-passages.js';
import type { ScoredChunk } from '../store/chunk-store.js';
import { limits, maxQueryChars, validateCount } from '../validation.js';
import { guardSearchField } from './guard-field.js';

interface MessageRepresentation {
  id: string;
  content?: string;
}

export const messageResolvers = {
  Message: {
    supportingPassages(message: MessageRepresentation, args: { k: number }, context: SearchContext, info: GraphQLResolveInfo): Promise<ScoredChunk[]> {
      authorize(context.viewer, 'passages.read');
      const k = validateCount(args.k, limits.supportingPassagesK, 'k');
      // A message longer than a query is cut: its opening carries most of what it is about.
      const text = (message.content ?? '').trim().slice(0, maxQueryChars);
      if (text === '') return Promise.resolve([]);
      return guardSearchField(context, info, [], () => findPassages(context, text, k));
    },
  },
} satisfies Resolvers<SearchContext>;
