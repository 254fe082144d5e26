import { badInput } from '../../lib/errors.js';

/** The four layers, lowest first: an entity moves one step at a time. */
export const layers = ['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION'] as const;
export type Layer = (typeof layers)[number];

export const entityTypes = ['DISEASE', 'TREATMENT', 'SYMPTOM', 'TEST', 'DRUG', 'GENE', 'PATHWAY', 'ORGANIZATION', 'STUDY'] as const;
export type EntityType = (typeof entityTypes)[number];

/** Relationship types between medical entities; anything else is refused. */
export const relationTypes = ['TREATS', 'CAUSES', 'INDICATES', 'ASSOCIATED_WITH', 'CONTRAINDICATED_WITH'] as const;
export type RelationType = (typeof relationTypes)[number];

/** The second label of `:MedicalEntity:<Label>` for a contract EntityType (DISEASE -> Disease). */
export function labelOf(type: EntityType): string {
  return type.charAt(0) + type.slice(1).toLowerCase();
}

export function isLayer(value: unknown): value is Layer {
  return typeof value === 'string' && (layers as readonly string[]).includes(value);
}

/** The layer one step up or down, or undefined at either end. */
export function adjacentLayer(from: Layer, direction: 'up' | 'down'): Layer | undefined {
  return layers[layers.indexOf(from) + (direction === 'up' ? 1 : -1)];
}

/** The target of a manual move: one step in `direction`; a requested layer must be exactly that step. */
export function resolveManualMove(from: Layer, direction: 'up' | 'down', requested: Layer | undefined | null): Layer {
  const next = adjacentLayer(from, direction);
  if (!next) throw badInput(`An entity in ${from} cannot move ${direction === 'up' ? 'higher' : 'lower'}`, 'id');
  if (requested != null && requested !== next) {
    throw badInput(`An entity in ${from} can only move to ${next}, not ${requested}: layers are never skipped`, 'toLayer');
  }
  return next;
}

export function assertRelationTypes(types: readonly string[] | null | undefined): void {
  const unknown = (types ?? []).filter((type) => !(relationTypes as readonly string[]).includes(type));
  if (unknown.length > 0) throw badInput(`Unknown relation type ${unknown.join(', ')}; allowed: ${relationTypes.join(', ')}`, 'types');
}

export function assertConfidence(value: number, field = 'confidence'): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw badInput(`${field} must be within [0, 1], got ${value}`, field);
}

/** Entity feedback state as stored (legacy property names live in the store). */
export interface FeedbackState {
  confidence: number;
  layer: Layer;
  feedbackCount: number;
  positiveCount: number;
  negativeCount: number;
  /** Counts at the last demotion: the demotion rule looks at feedback received since. */
  demotionMarkTotal: number;
  demotionMarkNegative: number;
}

export interface FeedbackInput {
  rating: number;
  severity: string | null | undefined;
}

export interface FeedbackOutcome extends FeedbackState {
  demotedFrom?: Layer;
}

const minConfidence = 0.1;
const maxConfidence = 1;
const clamp = (value: number) => Math.round(Math.min(maxConfidence, Math.max(minConfidence, value)) * 1e6) / 1e6;

/**
 * The legacy feedback rules: rating <= 2 subtracts 0.05 (0.10 when critical), rating >= 4 adds
 * 0.02, confidence stays within [0.1, 1.0]; then >= 5 feedbacks with >= 3 negative (since the
 * last demotion, so one bad streak demotes once) moves the entity one layer down and costs 0.2.
 */
export function applyFeedbackRules(state: FeedbackState, feedback: FeedbackInput): FeedbackOutcome {
  const negative = feedback.rating <= 2;
  const positive = feedback.rating >= 4;
  const delta = negative ? (feedback.severity?.toUpperCase() === 'CRITICAL' ? -0.1 : -0.05) : positive ? 0.02 : 0;
  const next: FeedbackOutcome = {
    ...state,
    confidence: clamp(state.confidence + delta),
    feedbackCount: state.feedbackCount + 1,
    positiveCount: state.positiveCount + (positive ? 1 : 0),
    negativeCount: state.negativeCount + (negative ? 1 : 0),
  };
  const lower = adjacentLayer(state.layer, 'down');
  const sinceTotal = next.feedbackCount - state.demotionMarkTotal;
  const sinceNegative = next.negativeCount - state.demotionMarkNegative;
  if (lower && sinceTotal >= 5 && sinceNegative >= 3) {
    return { ...next, layer: lower, demotedFrom: state.layer, confidence: clamp(next.confidence - 0.2), demotionMarkTotal: next.feedbackCount, demotionMarkNegative: next.negativeCount };
  }
  return next;
}
