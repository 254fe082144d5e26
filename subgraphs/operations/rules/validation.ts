import { badInput } from '../../../lib/errors.js';
import { storedMinimumGap } from '../store/preference-pairs.js';

/** Largest page any list returns. */
export const maxPageSize = 100;

export function checkPageSize(first: number, field = 'first', max = maxPageSize): number {
  if (!Number.isInteger(first) || first < 0 || first > max) throw badInput(`${field} must be an integer from 0 to ${max}`, field);
  return first;
}

export function checkRating(rating: number): number {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw badInput(`rating must be an integer from 1 to 5 (got ${rating})`, 'rating');
  return rating;
}

export function checkUnitInterval(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isFinite(value) || value < 0 || value > 1) throw badInput(`${field} must be between 0 and 1 (got ${value})`, field);
  return value;
}

export function checkIdList(ids: readonly string[] | null | undefined, field: string, max = 100): string[] {
  const list = [...new Set(ids ?? [])];
  if (list.length > max) throw badInput(`${field} may hold at most ${max} ids`, field);
  if (list.some((id) => id.trim() === '')) throw badInput(`${field} must not contain empty ids`, field);
  return list;
}

/** Pairs are stored from a gap of storedMinimumGap; a gap cannot exceed 4 (ratings 1..5). */
export function checkMinRatingGap(value: number): number {
  if (!Number.isFinite(value) || value < storedMinimumGap || value > 4) throw badInput(`minRatingGap must be between ${storedMinimumGap} and 4`, 'minRatingGap');
  return value;
}
