import { requireViewer } from '../../../lib/auth.js';
import { actorOf, requirePatientAccess } from '../access.js';
import type { OperationsContext } from '../context.js';
import { checkRenamable, checkTransition } from '../session-status.js';
import { createSession, maxTitleLength, updateSession, type SessionRow, type SessionStatus } from '../store/index.js';
import { checkOptionalText, checkText } from '../validation.js';

/** Longest device label accepted. */
const maxDeviceLength = 64;

interface StartSessionArgs {
  input: { patientId: string; title?: string | null; device?: string | null };
}

/** Ends or archives: locks the row, checks access and the transition table, then writes. */
function moveSession(ctx: OperationsContext, id: string, to: SessionStatus): Promise<SessionRow> {
  const viewer = requireViewer(ctx.viewer);
  return updateSession(ctx.db, actorOf(viewer), id, `session.${to === 'ended' ? 'end' : 'archive'}`, (current) => {
    requirePatientAccess(viewer, current.patientId);
    checkTransition(id, current.status, to);
    return { status: to, endedAt: current.endedAt ?? new Date() };
  });
}

export const sessionMutationResolvers = {
  Mutation: {
    startSession: (_: unknown, { input }: StartSessionArgs, ctx: OperationsContext) => {
      const viewer = requirePatientAccess(ctx.viewer, checkText(input.patientId, 'patientId', 200));
      return createSession(ctx.db, actorOf(viewer), {
        patientId: input.patientId.trim(),
        title: checkOptionalText(input.title, 'title', maxTitleLength),
        device: checkOptionalText(input.device, 'device', maxDeviceLength),
      });
    },
    renameSession: (_: unknown, args: { id: string; title: string }, ctx: OperationsContext) => {
      const viewer = requireViewer(ctx.viewer);
      const title = checkText(args.title, 'title', maxTitleLength);
      return updateSession(ctx.db, actorOf(viewer), args.id, 'session.rename', (current) => {
        requirePatientAccess(viewer, current.patientId);
        checkRenamable(args.id, current.status);
        return { title };
      });
    },
    endSession: (_: unknown, args: { id: string }, ctx: OperationsContext) => moveSession(ctx, args.id, 'ended'),
    archiveSession: (_: unknown, args: { id: string }, ctx: OperationsContext) => moveSession(ctx, args.id, 'archived'),
  },
};
