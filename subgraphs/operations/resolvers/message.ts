import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import { actorOf } from './actor.js';
import type { OperationsContext } from '../context.js';
import { checkWritable } from '../rules/session-status.js';
import { maxMessageLength, type MessageRole, type MessageRow } from '../store/index.js';
import { newMessageId } from '../rules/record-ids.js';
import { checkIdList, checkPageSize, checkUnitInterval } from '../rules/validation.js';
import { checkOptionalText, checkText } from '../../../lib/text-input.js';
import { loadReadable } from './readable.js';

/** Longest search text accepted. */
const maxSearchLength = 500;

interface PostMessageArgs {
  input: {
    sessionId: string;
    role: MessageRole;
    content: string;
    responseId?: string | null;
    confidence?: number | null;
    mentions?: string[] | null;
  };
}

export const messageResolvers = {
  Query: {
    message: async (_: unknown, args: { id: string }, ctx: OperationsContext) => {
      const message = await ctx.loaders.messageById.load(args.id);
      if (!message) return null;
      authorize(ctx.viewer, 'conversation.read', message.patientId);
      return message;
    },
    searchMessages: async (_: unknown, args: { patientId: string; text: string; first?: number | null }, ctx: OperationsContext) => {
      authorize(ctx.viewer, 'conversation.read', args.patientId);
      const text = checkText(args.text, 'text', maxSearchLength);
      const first = checkPageSize(args.first ?? 20);
      return first === 0 ? [] : ctx.stores.conversations.searchMessages(args.patientId, text, first);
    },
  },
  Mutation: {
    postMessage: (_: unknown, { input }: PostMessageArgs, ctx: OperationsContext) => {
      const viewer = authorize(ctx.viewer, 'conversation.write');
      const message = {
        id: newMessageId(),
        sessionId: input.sessionId,
        role: input.role,
        content: checkText(input.content, 'content', maxMessageLength),
        responseId: checkOptionalText(input.responseId, 'responseId', 200),
        confidence: checkUnitInterval(input.confidence, 'confidence'),
        relatedConcepts: checkIdList(input.mentions, 'mentions'),
      };
      return ctx.stores.conversations.postMessage(actorOf(viewer), message, (session) => {
        authorize(viewer, 'conversation.write', session.patientId);
        checkWritable(session.id, session.status, 'posting a message');
      });
    },
  },
  Message: {
    __resolveReference: (ref: { id: string }, ctx: OperationsContext) => loadReadable(ctx, ctx.loaders.messageById, 'Message', ref.id),
    session: (message: MessageRow, _: unknown, ctx: OperationsContext) => loadReadable(ctx, ctx.loaders.sessionById, 'Session', message.sessionId),
    mentions: (message: MessageRow) => message.relatedConcepts.map((id) => ({ __typename: 'MedicalEntity', id })),
  },
} satisfies Resolvers<OperationsContext>;
