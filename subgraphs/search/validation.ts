import { badInput } from '../../lib/errors.js';
import type { ChunkSearchFilter } from './store/chunk-store.js';

/** Longest query text accepted; USE reads about 128 tokens, a longer text is not a query. */
export const maxQueryChars = 2000;
/** Inclusive ranges of the count arguments, as documented in schema.graphql. */
export const limits = {
  semanticSearchK: { min: 1, max: 50 },
  supportingPassagesK: { min: 1, max: 20 },
  similarEntitiesK: { min: 1, max: 50 },
  chunksFirst: { min: 1, max: 200 },
} as const;

export function validateQueryText(text: string, field = 'text'): string {
  const trimmed = text.trim();
  if (trimmed === '') throw badInput(`${field} must not be empty`, field);
  if (trimmed.length > maxQueryChars) throw badInput(`${field} has ${trimmed.length} characters; at most ${maxQueryChars} are accepted`, field);
  return trimmed;
}

export function validateCount(value: number, range: { min: number; max: number }, field: string): number {
  if (!Number.isInteger(value) || value < range.min || value > range.max) throw badInput(`${field} must be between ${range.min} and ${range.max} (got ${value})`, field);
  return value;
}

export interface ChunkFilterInput {
  documentId?: string | null;
  layer?: string | null;
  entityTypes?: readonly string[] | null;
  minQuality?: number | null;
}

/** The GraphQL filter as store filter; ranges checked here, document existence by the caller. */
export function validateFilter(input: ChunkFilterInput | null | undefined): ChunkSearchFilter {
  const filter: ChunkSearchFilter = {};
  if (!input) return filter;
  if (input.documentId != null) {
    if (input.documentId.trim() === '') throw badInput('filter.documentId must not be empty', 'filter.documentId');
    filter.documentId = input.documentId;
  }
  if (input.layer != null) filter.layer = input.layer;
  if (input.entityTypes != null) {
    if (input.entityTypes.length === 0) throw badInput('filter.entityTypes must name at least one type (or be left out)', 'filter.entityTypes');
    filter.entityTypes = [...new Set(input.entityTypes)];
  }
  if (input.minQuality != null) {
    if (!(input.minQuality >= 0 && input.minQuality <= 1)) throw badInput(`filter.minQuality must be between 0 and 1 (got ${input.minQuality})`, 'filter.minQuality');
    filter.minQuality = input.minQuality;
  }
  return filter;
}
