import type { GraphQLResolveInfo } from 'graphql';
import { authorize, mayKeepSearchText } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { SearchContext } from '../context.js';
import { findPassages } from '../find-passages.js';
import type { ScoredChunk } from '../store/chunk-store.js';
import { limits, validateCount, validateFilter, validateQueryText, type ChunkFilterInput } from '../validation.js';
import { guardSearchField } from './guard-field.js';

interface SemanticSearchArgs {
  text: string;
  k: number;
  filter?: ChunkFilterInput | null;
}

export const queryResolvers = {
  Query: {
    semanticSearch(_: unknown, args: SemanticSearchArgs, context: SearchContext, info: GraphQLResolveInfo): Promise<ScoredChunk[]> {
      authorize(context.viewer, 'search.read');
      const text = validateQueryText(args.text);
      const k = validateCount(args.k, limits.semanticSearchK, 'k');
      const filter = validateFilter(args.filter);
      return guardSearchField(context, info, [], () => findPassages(context, text, k, filter, { keepText: mayKeepSearchText(context.viewer) }));
    },
  },
} satisfies Resolvers<SearchContext>;
