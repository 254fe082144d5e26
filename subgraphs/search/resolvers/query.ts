import type { GraphQLResolveInfo } from 'graphql';
import { mayKeepSearchText } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { SearchContext } from '../context.js';
import { findPassages } from '../find-passages.js';
import type { ScoredChunk } from '../store/chunk-store.js';
import { limits, validateFilter, validateQueryText, type ChunkFilterInput } from '../validation.js';
import { searchList } from './guard-field.js';

interface SemanticSearchArgs {
  text: string;
  k: number;
  filter?: ChunkFilterInput | null;
}

export const queryResolvers = {
  Query: {
    semanticSearch: (_: unknown, args: SemanticSearchArgs, context: SearchContext, info: GraphQLResolveInfo): Promise<ScoredChunk[]> => {
      const text = validateQueryText(args.text);
      const filter = validateFilter(args.filter);
      return searchList(context, info, 'search.read', { value: args.k, range: limits.semanticSearchK, name: 'k' }, (k) =>
        findPassages(context, text, k, filter, { keepText: mayKeepSearchText(context.viewer) }),
      );
    },
  },
} satisfies Resolvers<SearchContext>;
