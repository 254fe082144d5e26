import { dateTimeScalar } from '../../../lib/date-time-scalar.js';
import { mergeResolvers } from '../../../lib/subgraph/resolvers.js';
import type { KnowledgeContext } from '../context.js';
import { medicalEntityResolvers } from './medical-entity.js';
import { mutationResolvers } from './mutation.js';
import { queryResolvers } from './query.js';

export const resolvers = mergeResolvers<KnowledgeContext>({ DateTime: dateTimeScalar }, queryResolvers, medicalEntityResolvers, mutationResolvers);
