import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { SearchContext } from '../context.js';
import { findPassages } from '../find-passages.js';
import type { ScoredChunk } from '../store/chunk-store.js';
import { limits, maxQueryChars } from '../validation.js';
import { searchList } from './guard-field.js';

interface MessageRepresentation {
  id: string;
  content?: string;
  mentions?: { id: string }[] | null;
}

export const messageResolvers = {
  Message: {
    supportingPassages: (message: MessageRepresentation, args: { k: number }, context: SearchContext, info: GraphQLResolveInfo): Promise<ScoredChunk[]> => {
      // A message longer than a query is cut: its opening carries most of what it is about.
      const text = (message.content ?? '').trim().slice(0, maxQueryChars);
      return searchList(context, info, 'passages.read', { value: args.k, range: limits.supportingPassagesK, name: 'k' }, (k) =>
        text === '' ? Promise.resolve([]) : findPassages(context, text, k, {}, { entityIds: (message.mentions ?? []).map((entity) => entity.id) }),
      );
    },
  },
} satisfies Resolvers<SearchContext>;
