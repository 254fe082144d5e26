import { requireRole, type Viewer } from '../../../lib/auth.js';
import { notFound } from '../../../lib/errors.js';
import { actorOf, requirePatientAccess } from '../access.js';
import type { OperationsContext } from '../context.js';
import {
  findSessionIdByResponseId,
  insertFeedback,
  maxMessageLength,
  type FeedbackRow,
  type FeedbackType,
  type NewFeedback,
  type OutboxEvent,
  type Severity,
} from '../store/index.js';
import { checkIdList, checkOptionalText, checkRating, checkText } from '../validation.js';

interface FeedbackInput {
  responseId: string;
  sessionId?: string | null;
  rating: number;
  feedbackType: FeedbackType;
  severity?: Severity | null;
  correction?: string | null;
  queryText?: string | null;
  responseText?: string | null;
  entityIds?: string[] | null;
  layers?: string[] | null;
}

/** Analysts read aggregates only; every other role may rate answers it can see. */
const feedbackWriters = ['patient', 'clinician', 'service', 'admin'] as const;

/** The feedback's session and patient: the given session, else the one that produced the response. */
async function resolveOwner(ctx: OperationsContext, viewer: Viewer, responseId: string, sessionId: string | null | undefined) {
  const id = sessionId ?? (await findSessionIdByResponseId(ctx.db, responseId));
  if (id === undefined) return { sessionId: null, patientId: viewer.patientId ?? null };
  const session = await ctx.loaders.sessionById.load(id);
  if (!session) throw notFound('Session', id);
  requirePatientAccess(viewer, session.patientId);
  return { sessionId: session.id, patientId: session.patientId };
}

/** The `feedback.submitted` event of docs/federation-contract.md (enum values in contract spelling). */
function toFeedbackEvent(stream: string) {
  return (row: FeedbackRow): OutboxEvent => ({
    eventId: `feedback:${row.id}`,
    stream,
    type: 'feedback.submitted',
    payload: {
      feedbackId: row.id,
      responseId: row.responseId,
      sessionId: row.sessionId,
      patientId: row.patientId,
      rating: row.rating,
      feedbackType: row.feedbackType.toUpperCase(),
      severity: row.severity?.toUpperCase() ?? null,
      entityIds: row.entityIds,
      layers: row.layersTraversed,
      createdAt: row.createdAt.toISOString(),
    },
  });
}

async function saveFeedback(ctx: OperationsContext, input: FeedbackInput): Promise<FeedbackRow> {
  const viewer = requireRole(ctx.viewer, feedbackWriters);
  const fields = {
    responseId: checkText(input.responseId, 'responseId', 200),
    rating: checkRating(input.rating),
    feedbackType: input.feedbackType,
    severity: input.severity ?? null,
    correction: checkOptionalText(input.correction, 'correction', maxMessageLength),
    queryText: checkOptionalText(input.queryText, 'queryText', maxMessageLength),
    responseText: checkOptionalText(input.responseText, 'responseText', maxMessageLength),
    entityIds: checkIdList(input.entityIds, 'entityIds'),
    layersTraversed: [...new Set(input.layers ?? [])],
  };
  const owner = await resolveOwner(ctx, viewer, fields.responseId, input.sessionId);
  const row: NewFeedback = { ...fields, ...owner };
  const saved = await insertFeedback(ctx.db, actorOf(viewer), row, toFeedbackEvent(ctx.services.streams.feedback));
  await ctx.services.publishNow([`feedback:${saved.id}`]);
  return saved;
}

export const feedbackResolvers = {
  Mutation: {
    submitFeedback: (_: unknown, { input }: { input: FeedbackInput }, ctx: OperationsContext) => saveFeedback(ctx, input),
    // thumbs as the legacy application stored them: 5 / helpful (up), 1 / unhelpful (down)
    submitThumbs: (_: unknown, args: { responseId: string; up: boolean; sessionId?: string | null }, ctx: OperationsContext) =>
      saveFeedback(ctx, { responseId: args.responseId, sessionId: args.sessionId, rating: args.up ? 5 : 1, feedbackType: args.up ? 'helpful' : 'unhelpful' }),
  },
};
