/**
 * Document quality metrics, each in [0, 1], computed at ingestion from the chunks, their
 * entity links and their vectors. The composite is a weighted mean (weights below) and its
 * level follows `qualityLevels`. Every metric is deterministic for the same input.
 *
 * - informationDensity: half the share of content words (not stop words) among all words,
 *   half the share of distinct content words among content words (repetition lowers it).
 * - structuralClarity: half heading coverage (headings per chunk, capped at 1), half the share
 *   of chunks whose size is within 20%-120% of the chunker's target (no crumbs, no walls).
 * - entityCoherence: share of chunks naming at least one of the document's core entities
 *   (named in two chunks or more; any entity when there is one chunk); 0 without entities.
 * - contextSufficiency: share of chunks with at least `minWordsPerChunk` words, enough to
 *   stand alone as a retrieved passage.
 * - contextualRelevancy: mean cosine similarity of each chunk vector to the document's mean
 *   direction (clamped at 0): how much every chunk is about what the whole document is about.
 */
export interface DocumentQuality {
  informationDensity: number;
  structuralClarity: number;
  entityCoherence: number;
  contextSufficiency: number;
  contextualRelevancy: number;
  compositeScore: number;
}

export const qualityWeights = {
  informationDensity: 0.2,
  structuralClarity: 0.15,
  entityCoherence: 0.2,
  contextSufficiency: 0.2,
  contextualRelevancy: 0.25,
} as const;

/** Highest first: a score gets the first level whose minimum it reaches. */
export const qualityLevels = [
  { level: 'EXCELLENT', min: 0.8 },
  { level: 'GOOD', min: 0.6 },
  { level: 'FAIR', min: 0.4 },
  { level: 'POOR', min: 0 },
] as const;

export type QualityLevel = (typeof qualityLevels)[number]['level'];

export const minWordsPerChunk = 30;

export interface QualityChunk {
  text: string;
  entityIds: readonly string[];
  vector: readonly number[];
}

const stopWords = new Set(
  ('a an and are as at be been but by can for from has have if in into is it its may must no not of on or ' +
    'our so such than that the their then there these they this to was were will with within without would').split(' '),
);

export function computeQuality(content: string, chunks: readonly QualityChunk[], targetChars: number): DocumentQuality {
  const metrics = {
    informationDensity: measureDensity(content),
    structuralClarity: measureClarity(content, chunks, targetChars),
    entityCoherence: measureCoherence(chunks),
    contextSufficiency: share(chunks, (chunk) => countWords(chunk.text) >= minWordsPerChunk),
    contextualRelevancy: measureRelevancy(chunks),
  };
  const composite = (Object.keys(qualityWeights) as (keyof typeof qualityWeights)[]).reduce((sum, key) => sum + qualityWeights[key] * metrics[key], 0);
  return { ...roundAll(metrics), compositeScore: round(composite) };
}

export function rateQuality(compositeScore: number): QualityLevel {
  return (qualityLevels.find((entry) => compositeScore >= entry.min) ?? qualityLevels[qualityLevels.length - 1]!).level;
}

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const countWords = (text: string): number => words(text).length;

function measureDensity(content: string): number {
  const all = words(content);
  if (all.length === 0) return 0;
  const contentWords = all.filter((word) => !stopWords.has(word));
  if (contentWords.length === 0) return 0;
  return 0.5 * (contentWords.length / all.length) + 0.5 * (new Set(contentWords).size / contentWords.length);
}

function measureClarity(content: string, chunks: readonly QualityChunk[], targetChars: number): number {
  if (chunks.length === 0) return 0;
  const headings = content.split('\n').filter((line) => /^#{1,6}\s+\S/.test(line)).length;
  const sized = share(chunks, (chunk) => chunk.text.length >= 0.2 * targetChars && chunk.text.length <= 1.2 * targetChars);
  return 0.5 * Math.min(1, headings / chunks.length) + 0.5 * sized;
}

function measureCoherence(chunks: readonly QualityChunk[]): number {
  const chunkCounts = new Map<string, number>();
  for (const chunk of chunks) for (const id of new Set(chunk.entityIds)) chunkCounts.set(id, (chunkCounts.get(id) ?? 0) + 1);
  if (chunkCounts.size === 0) return 0;
  const minChunks = chunks.length === 1 ? 1 : 2;
  const core = new Set([...chunkCounts].filter(([, count]) => count >= minChunks).map(([id]) => id));
  return share(chunks, (chunk) => chunk.entityIds.some((id) => core.has(id)));
}

function measureRelevancy(chunks: readonly QualityChunk[]): number {
  const vectors = chunks.map((chunk) => normalize(chunk.vector)).filter((vector) => vector.length > 0);
  const first = vectors[0];
  if (!first) return 0;
  const mean = normalize(first.map((_, dim) => vectors.reduce((sum, vector) => sum + (vector[dim] ?? 0), 0)));
  if (mean.length === 0) return 0;
  return vectors.reduce((sum, vector) => sum + Math.max(0, dot(vector, mean)), 0) / vectors.length;
}

function share<T>(items: readonly T[], test: (item: T) => boolean): number {
  return items.length === 0 ? 0 : items.filter(test).length / items.length;
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((sum, value, dim) => sum + value * (b[dim] ?? 0), 0);

function normalize(vector: readonly number[]): number[] {
  const length = Math.sqrt(dot(vector, vector));
  return length === 0 ? [] : vector.map((value) => value / length);
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

function roundAll<T extends Record<string, number>>(metrics: T): T {
  return Object.fromEntries(Object.entries(metrics).map(([key, value]) => [key, round(value)])) as T;
}
