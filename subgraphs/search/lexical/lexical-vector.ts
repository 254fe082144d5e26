import { foldWords } from '../../../lib/text-folding.js';

/**
 * Sparse lexical vectors for passage search: BM25 term weights computed here, inverse document
 * frequency applied by Qdrant (the `lexical` sparse vector is configured with `modifier: idf`).
 * A term's index is a 32-bit hash of its folded, lightly stemmed form, so no vocabulary is stored
 * anywhere and a query made today matches a chunk written a year ago.
 */
export interface SparseVector {
  indices: number[];
  values: number[];
}

/** BM25's term-frequency saturation and length normalisation; the average is that of our chunks' texts. */
const k1 = 1.2;
const b = 0.75;
const averageTerms = 90;

const stopwords = new Set(
  `a about above after again all also am an and any are as at be because been before being below between both but by can could did do does
   doing down during each few for from further had has have having he her here hers him his how i if in into is it its itself just me more
   most my no nor not now of off on once only or other our ours out over own same she should so some such than that the their theirs them
   then there these they this those through to too under until up very was we were what when where which while who whom why will with
   would you your yours e.g i.e etc`.split(/\s+/),
);

/** Plurals as singulars ("stakeholders" → "stakeholder", "therapies" → "therapy"); words ending in -ss, -is, -us stay. */
function stem(word: string): string {
  if (word.length <= 4 || !word.endsWith('s') || /(ss|is|us)$/.test(word)) return word;
  return word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.slice(0, -1);
}

/** The terms of `text` in order, repeats kept: folded words, stopwords and lone digits left out. */
export function lexicalTerms(text: string): string[] {
  return foldWords(text)
    .flatMap((word) => word.split('.'))
    .filter((word) => word.length > 1 && !stopwords.has(word))
    .map(stem);
}

/** FNV-1a, 32 bits: the sparse index of a term. */
export function termIndex(term: string): number {
  let hash = 0x811c9dc5;
  for (let position = 0; position < term.length; position += 1) {
    hash ^= term.charCodeAt(position);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function toSparse(weights: Map<number, number>): SparseVector {
  const entries = [...weights].sort(([left], [right]) => left - right);
  return { indices: entries.map(([index]) => index), values: entries.map(([, value]) => value) };
}

/** A passage's vector: each term's BM25 weight (without IDF) for how often it occurs and how long the passage is. */
export function passageVector(text: string): SparseVector {
  const terms = lexicalTerms(text);
  const counts = new Map<number, number>();
  for (const term of terms) counts.set(termIndex(term), (counts.get(termIndex(term)) ?? 0) + 1);
  const lengthNorm = k1 * (1 - b + (b * terms.length) / averageTerms);
  return toSparse(new Map([...counts].map(([index, count]) => [index, (count * (k1 + 1)) / (count + lengthNorm)])));
}

/** A query's vector: each distinct term once, weight 1 (Qdrant multiplies by its IDF). */
export function queryVector(text: string): SparseVector {
  return toSparse(new Map(lexicalTerms(text).map((term) => [termIndex(term), 1])));
}
