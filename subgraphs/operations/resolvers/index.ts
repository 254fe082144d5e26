import { dateTimeScalar } from '../../../lib/date-time-scalar.js';
import { mergeResolvers } from '../../../lib/subgraph/resolvers.js';
import type { OperationsContext } from '../context.js';
import { analyticsResolvers } from './analytics.js';
import { documentResolvers } from './document.js';
import { feedbackResolvers } from './feedback.js';
import { messageResolvers } from './message.js';
import { migrationResolvers } from './migration.js';
import { enumResolvers } from './scalars.js';
import { sessionMutationResolvers } from './session-mutations.js';
import { sessionResolvers } from './session.js';

export const resolvers = mergeResolvers<OperationsContext>(
  { DateTime: dateTimeScalar, ...enumResolvers },
  sessionResolvers,
  sessionMutationResolvers,
  messageResolvers,
  feedbackResolvers,
  documentResolvers,
  analyticsResolvers,
  migrationResolvers,
);
