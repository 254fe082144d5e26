import { mergeResolvers } from '../../../lib/subgraph/resolvers.js';
import type { SearchContext } from '../context.js';
import { chunkResolvers } from './chunk.js';
import { documentResolvers } from './document.js';
import { medicalEntityResolvers } from './medical-entity.js';
import { messageResolvers } from './message.js';
import { queryResolvers } from './query.js';

export const resolvers = mergeResolvers<SearchContext>(queryResolvers, messageResolvers, medicalEntityResolvers, documentResolvers, chunkResolvers);
