import type { ScoredChunk } from './store/chunk-store.js';

/**
 * The last step of passage search, after Qdrant fused its candidate lists: template boilerplate
 * (a chunk text many documents share but for their titles) is scored down by the log of how
 * often it repeats, and the best k are kept. Qdrant returns a larger pool than k so that
 * demoted boilerplate can be replaced.
 */
export const candidatePoolSize = (k: number): number => Math.min(Math.max(3 * k, 30), 150);

export function rankPassages(candidates: readonly ScoredChunk[], k: number): ScoredChunk[] {
  return candidates
    .map((hit) => ({ ...hit, score: hit.score / (1 + Math.log(Math.max(1, hit.point.payload.template_repeats ?? 1))) }))
    .sort((left, right) => right.score - left.score)
    .slice(0, k);
}
