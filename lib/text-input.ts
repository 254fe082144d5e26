import { badInput } from './errors.js';

/** Trimmed text that must not be empty nor longer than `maxLength`. */
export function checkText(value: string, field: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed === '') throw badInput(`${field} must not be empty`, field);
  if (trimmed.length > maxLength) throw badInput(`${field} must have at most ${maxLength} characters (got ${trimmed.length})`, field);
  return trimmed;
}

/** Like checkText, but null and undefined stay null. */
export function checkOptionalText(value: string | null | undefined, field: string, maxLength: number): string | null {
  return value === null || value === undefined ? null : checkText(value, field, maxLength);
}
