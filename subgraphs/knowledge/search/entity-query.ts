import { badInput } from '../../../lib/errors.js';
import { toLuceneQuery } from '../../../lib/lucene-query.js';
import { foldWords } from '../../../lib/text-folding.js';

export interface QueryWord {
  word: string;
  /** Typos tolerated in this word: none in short words, where one edit makes another word. */
  edits: number;
}

export interface EntityQuery {
  words: QueryWord[];
  /** For the names index (whitespace analyzer over folded words): each word exact, as a prefix, or within its edits. */
  names: string;
  /** For the name-and-description index (standard analyzer): the text as typed. */
  text: string;
}

const editsFor = (word: string): number => (word.length <= 3 ? 0 : word.length <= 5 ? 1 : 2);

/** The query parts for what someone typed; BAD_USER_INPUT when it holds no letter or digit. */
export function entityQueryOf(typed: string): EntityQuery {
  const words = foldWords(typed).map((word) => ({ word, edits: editsFor(word) }));
  if (words.length === 0) throw badInput('text must contain a letter or a digit', 'text');
  // Folded words hold only letters, digits and inner dots: nothing Lucene's syntax reads specially.
  const names = words
    .map(({ word, edits }) => [`${word}^4`, word.length > 1 ? `${word}*^2` : '', edits > 0 ? `${word}~${edits}` : ''].filter(Boolean).join(' '))
    .join(' ');
  return { words, names, text: toLuceneQuery(typed) };
}
