import { badInput } from './errors.js';

/** Characters with a meaning in Lucene's query syntax. */
const special = /[+\-!(){}[\]^"~*?:\\/&|]/g;
/** Lucene's operators are upper-case words; in what a clinician types they are just words. */
const operators = new Set(['AND', 'OR', 'NOT', 'TO']);

/**
 * A full-text query for what someone typed: every term kept as a plain term (syntax escaped,
 * operator words lower-cased). BAD_USER_INPUT when nothing searchable is left.
 */
export function toLuceneQuery(text: string, field = 'text'): string {
  const terms = text
    .split(/\s+/)
    .filter((term) => /[\p{L}\p{N}]/u.test(term))
    .map((term) => (operators.has(term) ? term.toLowerCase() : term.replace(special, '\\$&')));
  if (terms.length === 0) throw badInput(`${field} must contain a letter or a digit`, field);
  return terms.join(' ');
}
