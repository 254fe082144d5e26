import { createHash } from 'node:crypto';
import { foldWords } from '../../../lib/text-folding.js';
import type { ChunkPoint } from '../store/chunk-store.js';
import { passageVector } from './lexical-vector.js';

/**
 * What a chunk point carries for lexical search, derived from its payload alone (so points
 * written before lexical search existed can be given it): the sparse vector of its title,
 * headings and text, and its template key, the text without the title's words. Documents made
 * from one template ("<Disease> Management" data agreements) differ mostly in their titles:
 * their other chunks share a key, and search ranks such repeated boilerplate lower.
 */
export function templateKeyOf(title: string | null, text: string): string {
  const titleWords = new Set(foldWords(title ?? ''));
  const words = foldWords(text).filter((word) => !titleWords.has(word));
  return createHash('sha256').update(words.join(' ')).digest('hex').slice(0, 24);
}

/** The title and heading path of a chunk, each once: what tells chunks of templated documents apart. */
export function chunkContextOf(title: string | null, headings: readonly string[]): string[] {
  return [...new Set([title, ...headings].filter((part): part is string => Boolean(part?.trim())))];
}

export function withLexical(point: ChunkPoint): ChunkPoint {
  const { document_title: title = null, headings, chunk_text: text } = point.payload;
  return {
    ...point,
    lexical: passageVector([...chunkContextOf(title, headings), text].join('\n')),
    payload: { ...point.payload, template_key: templateKeyOf(title, text) },
  };
}
