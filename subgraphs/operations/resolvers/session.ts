import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import { toConnection } from '../paging/connection.js';
import { loadReadable } from './readable.js';
import type { OperationsContext } from '../context.js';
import { decodeCursor } from '../paging/cursor.js';
import type { SessionRow, SessionStatus } from '../store/index.js';
import { checkPageSize } from '../rules/validation.js';

interface PageArgs {
  first?: number | null;
  after?: string | null;
}
interface SessionsArgs extends PageArgs {
  status?: SessionStatus | null;
}

/** Shared by Query.sessions and Patient.sessions; totalCount is only counted when asked for. */
async function loadSessionPage(ctx: OperationsContext, patientId: string, args: SessionsArgs) {
  authorize(ctx.viewer, 'conversation.read', patientId);
  const first = checkPageSize(args.first ?? 20);
  const after = decodeCursor(args.after);
  const filter = { patientId, status: args.status ?? null };
  const rows = first === 0 ? [] : await ctx.stores.conversations.listSessions(filter, first + 1, after);
  for (const row of rows) ctx.loaders.sessionById.prime(row.id, row);
  return {
    ...toConnection(rows, first, (row) => ({ at: row.lastActivity, id: row.id })),
    totalCount: () => ctx.stores.conversations.countSessions(filter),
  };
}

export const sessionResolvers = {
  Query: {
    session: async (_: unknown, args: { id: string }, ctx: OperationsContext) => {
      const session = await ctx.loaders.sessionById.load(args.id);
      if (!session) return null;
      authorize(ctx.viewer, 'conversation.read', session.patientId);
      return session;
    },
    sessions: (_: unknown, args: SessionsArgs & { patientId: string }, ctx: OperationsContext) => loadSessionPage(ctx, args.patientId, args),
  },
  Patient: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    sessions: (patient: { id: string }, args: SessionsArgs, ctx: OperationsContext) => loadSessionPage(ctx, patient.id, args),
  },
  Session: {
    __resolveReference: (ref: { id: string }, ctx: OperationsContext) => loadReadable(ctx, ctx.loaders.sessionById, 'Session', ref.id),
    patient: (session: SessionRow) => ({ __typename: 'Patient', id: session.patientId }),
    messages: async (session: SessionRow, args: PageArgs, ctx: OperationsContext) => {
      const first = checkPageSize(args.first ?? 50);
      const after = decodeCursor(args.after);
      const rows = first === 0 ? [] : await ctx.loaders.messagePage.load({ sessionId: session.id, patientId: session.patientId, limit: first + 1, after });
      return {
        ...toConnection(rows, first, (row) => ({ at: row.createdAt, id: row.id })),
        totalCount: session.messageCount,
      };
    },
    feedback: (session: SessionRow, _: unknown, ctx: OperationsContext) => ctx.loaders.feedbackBySession.load({ id: session.id, patientId: session.patientId }),
  },
} satisfies Resolvers<OperationsContext>;
