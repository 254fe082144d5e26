import { describe, expect, it } from 'vitest';
import { checkText } from '../../../lib/text-input.js';
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
