import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { SearchContext } from '../context.js';
import { supportingPassagesQuery } from '../message-passage-query.js';
import type { ScoredChunk } from '../store/chunk-store.js';
import { limits } from '../validation.js';
import { searchList } from './guard-field.js';

interface MessageRepresentation {
  id: string;
  content?: string;
  mentions?: { id: string }[] | null;
}

export const messageResolvers = {
  Message: {
    supportingPassages: (message: MessageRepresentation, args: { k: number }, context: SearchContext, info: GraphQLResolveInfo): Promise<ScoredChunk[]> =>
      searchList(context, info, 'passages.read', { value: args.k, range: limits.supportingPassagesK, name: 'k' }, (k) => {
        const query = supportingPassagesQuery(message, k);
        return query ? context.loaders.passages.load(query) : Promise.resolve([]);
      }),
  },
} satisfies Resolvers<SearchContext>;
