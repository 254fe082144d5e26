import { analyticsResolvers } from './analytics.js';
import { documentResolvers } from './document.js';
import { feedbackResolvers } from './feedback.js';
import { messageResolvers } from './message.js';
import { dateTimeScalar, enumResolvers } from './scalars.js';
import { sessionMutationResolvers } from './session-mutations.js';
import { sessionResolvers } from './session.js';

export const resolvers = {
  DateTime: dateTimeScalar,
  ...enumResolvers,
  Query: { ...sessionResolvers.Query, ...messageResolvers.Query, ...documentResolvers.Query, ...analyticsResolvers.Query },
  Mutation: {
    ...sessionMutationResolvers.Mutation,
    ...messageResolvers.Mutation,
    ...feedbackResolvers.Mutation,
    ...documentResolvers.Mutation,
    ...analyticsResolvers.Mutation,
  },
  Patient: sessionResolvers.Patient,
  Session: sessionResolvers.Session,
  Message: messageResolvers.Message,
  Document: documentResolvers.Document,
};
