import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import { actorOf } from './actor.js';
import type { OperationsContext } from '../context.js';
import { checkRenamable, checkTransition } from '../rules/session-status.js';
import { maxTitleLength, type SessionRow, type SessionStatus } from '../store/index.js';
import { preciseNow } from '../../../lib/precise-time.js';
import { newSessionId } from '../rules/record-ids.js';
import { checkOptionalText, checkText } from '../../../lib/text-input.js';

/** Longest device label accepted. */
const maxDeviceLength = 64;

interface StartSessionArgs {
  input: { patientId: string; title?: string | null; device?: string | null };
}

/** Ends or archives: locks the row, checks access and the transition table, then writes. */
function moveSession(ctx: OperationsContext, id: string, to: SessionStatus): Promise<SessionRow> {
  const viewer = authorize(ctx.viewer, 'conversation.write');
  return ctx.stores.conversations.updateSession(actorOf(viewer), id, `session.${to === 'ended' ? 'end' : 'archive'}`, (current) => {
    authorize(viewer, 'conversation.write', current.patientId);
    checkTransition(id, current.status, to);
    return { status: to, endedAt: current.endedAt ?? new Date() };
  });
}

export const sessionMutationResolvers = {
  Mutation: {
    startSession: (_: unknown, { input }: StartSessionArgs, ctx: OperationsContext) => {
      const viewer = authorize(ctx.viewer, 'conversation.write', checkText(input.patientId, 'patientId', 200));
      return ctx.stores.conversations.startSession(actorOf(viewer), {
        id: newSessionId(),
        createdAt: preciseNow(),
        patientId: input.patientId.trim(),
        title: checkOptionalText(input.title, 'title', maxTitleLength),
        device: checkOptionalText(input.device, 'device', maxDeviceLength),
      });
    },
    renameSession: (_: unknown, args: { id: string; title: string }, ctx: OperationsContext) => {
      const viewer = authorize(ctx.viewer, 'conversation.write');
      const title = checkText(args.title, 'title', maxTitleLength);
      return ctx.stores.conversations.updateSession(actorOf(viewer), args.id, 'session.rename', (current) => {
        authorize(viewer, 'conversation.write', current.patientId);
        checkRenamable(args.id, current.status);
        return { title };
      });
    },
    endSession: (_: unknown, args: { id: string }, ctx: OperationsContext) => moveSession(ctx, args.id, 'ended'),
    archiveSession: (_: unknown, args: { id: string }, ctx: OperationsContext) => moveSession(ctx, args.id, 'archived'),
  },
} satisfies Resolvers<OperationsContext>;
