import { randomUUID } from 'node:crypto';
import { badInput, notFound } from '../../../lib/errors.js';
import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import { actorOf } from './actor.js';
import type { OperationsContext } from '../context.js';
import type { EventPayload } from '../../../lib/event-contracts.js';
import { defineEvent } from '../../../lib/typed-events.js';
import { maxMessageLength, type FeedbackRow, type FeedbackType, type NewFeedback, type Severity } from '../store/index.js';
import { checkIdList, checkRating } from '../rules/validation.js';
import { checkOptionalText, checkText } from '../../../lib/text-input.js';

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

/** The `feedback.submitted` event (lib/event-contracts; enum values in contract spelling). */
function toFeedbackEvent(streamPrefix: string) {
  return (row: FeedbackRow) =>
    defineEvent(streamPrefix, 'feedback.submitted', `feedback:${row.id}`, {
      feedbackId: row.id,
      responseId: row.responseId,
      sessionId: row.sessionId,
      patientId: row.patientId,
      rating: row.rating,
      feedbackType: row.feedbackType.toUpperCase() as EventPayload<'feedback.submitted'>['feedbackType'],
      severity: (row.severity?.toUpperCase() ?? null) as EventPayload<'feedback.submitted'>['severity'],
      entityIds: row.entityIds,
      layers: row.layersTraversed as EventPayload<'feedback.submitted'>['layers'],
      createdAt: row.createdAt.toISOString(),
    });
}

/** A value the client sent about the answer must be the stored one: feedback cannot rewrite what was asked and answered. */
function checkSameText(given: string | null | undefined, stored: string | null, field: string, responseId: string): void {
  if (given === null || given === undefined) return;
  if (stored === null || given.trim() !== stored.trim()) {
    throw badInput(`${field} differs from what is stored for response ${responseId}: leave it out, it is taken from the conversation`, field);
  }
}

/**
 * The feedback row from the stored conversation: the answer the response id names (it must
 * exist and the caller must be allowed to rate in its patient's conversations), the question
 * before it, and the entities the answer mentions (the client may narrow them, never add to them).
 */
async function feedbackFromConversation(ctx: OperationsContext, input: FeedbackInput): Promise<NewFeedback> {
  const responseId = checkText(input.responseId, 'responseId', 200);
  const rating = checkRating(input.rating);
  const correction = checkOptionalText(input.correction, 'correction', maxMessageLength);
  const givenEntityIds = input.entityIds === null || input.entityIds === undefined ? undefined : checkIdList(input.entityIds, 'entityIds');
  if (input.sessionId !== null && input.sessionId !== undefined) {
    const session = await ctx.loaders.sessionById.load(input.sessionId);
    if (!session) throw notFound('Session', input.sessionId);
    authorize(ctx.viewer, 'feedback.submit', session.patientId);
  }
  const rated = await ctx.stores.conversations.ratedAnswer(responseId);
  if (!rated) throw notFound('Answer with response id', responseId);
  const { answer, question } = rated;
  authorize(ctx.viewer, 'feedback.submit', answer.patientId);
  if (input.sessionId && input.sessionId !== answer.sessionId) throw badInput(`Response ${responseId} belongs to another session than ${input.sessionId}`, 'sessionId');
  checkSameText(input.queryText, question?.content ?? null, 'queryText', responseId);
  checkSameText(input.responseText, answer.content, 'responseText', responseId);
  const entityIds = givenEntityIds ?? answer.relatedConcepts;
  const unknown = entityIds.filter((id) => !answer.relatedConcepts.includes(id));
  if (unknown.length > 0) throw badInput(`entityIds must be entities the answer mentions; it does not mention ${unknown.join(', ')}`, 'entityIds');
  const layers = [...new Set(input.layers ?? [])];
  // how the answer was produced is stated by the assistant service, not by whoever rates it
  if (layers.length > 0) authorize(ctx.viewer, 'answer.annotate');
  return {
    id: randomUUID(),
    responseId,
    sessionId: answer.sessionId,
    patientId: answer.patientId,
    queryText: question?.content ?? null,
    responseText: answer.content,
    rating,
    feedbackType: input.feedbackType,
    severity: input.severity ?? null,
    correction,
    entityIds,
    layersTraversed: layers,
  };
}

async function saveFeedback(ctx: OperationsContext, input: FeedbackInput): Promise<FeedbackRow> {
  authorize(ctx.viewer, 'feedback.submit');
  const row = await feedbackFromConversation(ctx, input);
  return ctx.stores.feedback.submitFeedback(actorOf(ctx.viewer), row, ctx.services.feedbackLimits, toFeedbackEvent(ctx.services.streamPrefix));
}

export const feedbackResolvers = {
  Mutation: {
    submitFeedback: (_: unknown, { input }: { input: FeedbackInput }, ctx: OperationsContext) => saveFeedback(ctx, input),
    // thumbs as the legacy application stored them: 5 / helpful (up), 1 / unhelpful (down)
    submitThumbs: (_: unknown, args: { responseId: string; up: boolean; sessionId?: string | null }, ctx: OperationsContext) =>
      saveFeedback(ctx, { responseId: args.responseId, sessionId: args.sessionId, rating: args.up ? 5 : 1, feedbackType: args.up ? 'helpful' : 'unhelpful' }),
  },
} satisfies Resolvers<OperationsContext>;
