import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SearchContext } from '../context.js';
import { chunkResolvers } from './chunk.js';
import { documentResolvers } from './document.js';
import { medicalEntityResolvers } from './medical-entity.js';
import { messageResolvers } from './message.js';
import { queryResolvers } from './query.js';

export const resolvers = {
  ...queryResolvers,
  ...messageResolvers,
  ...medicalEntityResolvers,
  ...documentResolvers,
  ...chunkResolvers,
} satisfies GraphQLResolverMap<SearchContext>;
