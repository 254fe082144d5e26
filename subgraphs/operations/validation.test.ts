import { describe, expect, it } from 'vitest';
import { toIngestOutcome } from './event-streams.js';
import { formatPair } from './export-formats.js';
import { checkText } from '../../lib/text-input.js';
import { checkIdList, checkMinRatingGap, checkPageSize, checkRating, checkUnitInterval } from './validation.js';

const badInput = (field: string) => expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) });

describe('input checks', () => {
  it('ratings are integers 1..5', () => {
    expect(checkRating(1)).toBe(1);
    expect(checkRating(5)).toBe(5);
    for (const rating of [0, 6, 2.5]) expect(() => checkRating(rating)).toThrowError(badInput('rating'));
  });

  it('texts are trimmed, non-empty and bounded', () => {
    expect(checkText('  hi ', 'title', 5)).toBe('hi');
    expect(() => checkText('   ', 'title', 5)).toThrowError(badInput('title'));
    expect(() => checkText('toolong', 'title', 5)).toThrowError(badInput('title'));
  });

  it('page sizes, unit intervals, id lists and rating gaps', () => {
    expect(checkPageSize(0)).toBe(0);
    expect(() => checkPageSize(101)).toThrowError(badInput('first'));
    expect(checkUnitInterval(undefined, 'confidence')).toBeNull();
    expect(() => checkUnitInterval(-0.1, 'confidence')).toThrowError(badInput('confidence'));
    expect(checkIdList(['a', 'a', 'b'], 'mentions')).toEqual(['a', 'b']);
    expect(() => checkIdList([' '], 'mentions')).toThrowError(badInput('mentions'));
    expect(() => checkMinRatingGap(0.5)).toThrowError(badInput('minRatingGap'));
  });
});

describe('export formats', () => {
  const pair = {
    id: 'p1',
    prompt: 'Q',
    chosen: 'good',
    rejected: 'bad',
    rating_gap: 3,
    source: 'correction',
    chosen_feedback_id: 'f1',
    rejected_feedback_id: 'f1',
    created_at: new Date('2026-01-01T00:00:00Z'),
  };

  it('shapes one record per format', () => {
    expect(formatPair('dpo', pair)).toEqual({ prompt: 'Q', chosen: 'good', rejected: 'bad' });
    expect(formatPair('sft', pair)).toEqual({ prompt: 'Q', completion: 'good' });
    expect(formatPair('alpaca', pair)).toEqual({ instruction: 'Q', input: '', output: 'good' });
    expect(formatPair('raw', pair)).toMatchObject({ id: 'p1', ratingGap: 3, createdAt: '2026-01-01T00:00:00.000Z' });
  });
});

describe('ingest result events', () => {
  const event = (type: string, payload: unknown) => ({ id: 'e1', type, payload, publishedAt: '' });

  it('reads the contract payloads and ignores unknown or malformed ones', () => {
    expect(toIngestOutcome(event('document.ingest.started', { documentId: 'd1' }))).toEqual({ documentId: 'd1', outcome: { kind: 'started' } });
    expect(toIngestOutcome(event('document.ingest.completed', { documentId: 'd1', chunkCount: 2, quality: { compositeScore: 0.5 } }))).toEqual({
      documentId: 'd1',
      outcome: {
        kind: 'completed',
        chunkCount: 2,
        quality: { informationDensity: null, structuralClarity: null, entityCoherence: null, contextSufficiency: null, contextualRelevancy: null, compositeScore: 0.5 },
      },
    });
    expect(toIngestOutcome(event('document.ingest.failed', { documentId: 'd1', reason: 'x' }))).toEqual({ documentId: 'd1', outcome: { kind: 'failed', reason: 'x' } });
    expect(toIngestOutcome(event('document.ingest.completed', { chunkCount: 2 }))).toBeUndefined();
    expect(toIngestOutcome(event('document.other', { documentId: 'd1' }))).toBeUndefined();
  });
});
