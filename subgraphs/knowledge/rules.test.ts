import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.js';
import { applyFeedbackRules, assertConfidence, assertRelationTypes, labelOf, resolveManualMove, type FeedbackState } from './rules.js';

const state = (overrides: Partial<FeedbackState> = {}): FeedbackState => ({
  confidence: 0.5, layer: 'SEMANTIC', feedbackCount: 0, positiveCount: 0, negativeCount: 0, demotionMarkTotal: 0, demotionMarkNegative: 0, ...overrides,
});

describe('layer moves', () => {
  it('moves exactly one step and refuses skipped layers and the ends', () => {
    expect(resolveManualMove('PERCEPTION', 'up', undefined)).toBe('SEMANTIC');
    expect(resolveManualMove('APPLICATION', 'down', 'REASONING')).toBe('REASONING');
    expect(() => resolveManualMove('PERCEPTION', 'up', 'REASONING')).toThrow('layers are never skipped');
    expect(() => resolveManualMove('APPLICATION', 'up', null)).toThrow('An entity in APPLICATION cannot move higher');
    expect(() => resolveManualMove('PERCEPTION', 'down', null)).toThrow(AppError);
  });

  it('maps contract types to legacy labels', () => {
    expect(labelOf('DISEASE')).toBe('Disease');
    expect(labelOf('ORGANIZATION')).toBe('Organization');
  });
});

describe('input checks', () => {
  it('accepts the five relation types only', () => {
    expect(() => assertRelationTypes(['TREATS', 'CONTRAINDICATED_WITH'])).not.toThrow();
    expect(() => assertRelationTypes(null)).not.toThrow();
    expect(() => assertRelationTypes(['treats'])).toThrow('Unknown relation type treats');
  });

  it('keeps confidence within [0, 1]', () => {
    expect(() => assertConfidence(1)).not.toThrow();
    expect(() => assertConfidence(1.01)).toThrow('confidence must be within [0, 1], got 1.01');
    expect(() => assertConfidence(Number.NaN)).toThrow(AppError);
  });
});

describe('feedback rules', () => {
  it('subtracts 0.05 for a negative rating, 0.10 when critical, adds 0.02 for a positive one', () => {
    expect(applyFeedbackRules(state(), { rating: 2, severity: null }).confidence).toBe(0.45);
    expect(applyFeedbackRules(state(), { rating: 1, severity: 'CRITICAL' }).confidence).toBe(0.4);
    expect(applyFeedbackRules(state(), { rating: 4, severity: null }).confidence).toBe(0.52);
    expect(applyFeedbackRules(state(), { rating: 3, severity: null })).toMatchObject({ confidence: 0.5, feedbackCount: 1, positiveCount: 0, negativeCount: 0 });
  });

  it('keeps confidence within [0.1, 1.0]', () => {
    expect(applyFeedbackRules(state({ confidence: 0.12 }), { rating: 1, severity: 'critical' }).confidence).toBe(0.1);
    expect(applyFeedbackRules(state({ confidence: 0.99 }), { rating: 5, severity: null }).confidence).toBe(1);
  });

  it('demotes once after 5 feedbacks with 3 negative, costing 0.2, then waits for a new streak', () => {
    const demoted = applyFeedbackRules(state({ confidence: 0.6, feedbackCount: 4, negativeCount: 2, positiveCount: 2 }), { rating: 1, severity: null });
    expect(demoted).toEqual({
      confidence: 0.35, layer: 'PERCEPTION', demotedFrom: 'SEMANTIC', feedbackCount: 5, positiveCount: 2, negativeCount: 3, demotionMarkTotal: 5, demotionMarkNegative: 3,
    });
    const { demotedFrom: _demotedFrom, ...after } = demoted;
    expect(applyFeedbackRules(after, { rating: 1, severity: null })).not.toHaveProperty('demotedFrom');
    expect(applyFeedbackRules(state({ layer: 'PERCEPTION', feedbackCount: 4, negativeCount: 4 }), { rating: 1, severity: null }).layer).toBe('PERCEPTION');
  });
});
