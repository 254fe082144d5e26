import { foldWords } from '../../../lib/text-folding.js';

/**
 * The folded forms entity search compares (lib/text-folding.ts: what a clinician types and what
 * the graph holds fold alike). Stored on each entity as `search_names` (its name, synonyms and
 * ontology codes) and `search_text` (the same, for the full-text index).
 */

/** Bump when folding changes: entities keyed with an older version are keyed again at start-up. */
export const searchKeysVersion = 1;

export const foldPhrase = (text: string): string => foldWords(text).join(' ');

/** "ICD10:K50.90" → "k50.90": the code without its system, as people type it. */
const codeOf = (ontologyCode: string): string => foldPhrase(ontologyCode.slice(ontologyCode.indexOf(':') + 1));

export interface SearchKeys {
  search_names: string[];
  search_text: string;
  search_keys_version: number;
}

export function searchKeysOf(entity: { name: string; synonyms?: readonly string[] | null; ontologyCodes?: readonly string[] | null }): SearchKeys {
  const phrases = [entity.name, ...(entity.synonyms ?? [])].map(foldPhrase);
  const codes = (entity.ontologyCodes ?? []).map(codeOf);
  const names = [...new Set([...phrases, ...codes].filter((phrase) => phrase !== ''))];
  return { search_names: names, search_text: names.join(' '), search_keys_version: searchKeysVersion };
}
