/**
 * The folded forms entity search compares: what a clinician types and what the graph holds are
 * both lower-cased, stripped of diacritics ("Sjögren" → "sjogren") and of apostrophes
 * ("Crohn's" → "crohns"), and split into words. Stored on each entity as `search_names` (its
 * name, synonyms and ontology codes) and `search_text` (the same, for the full-text index).
 */

/** Bump when folding changes: entities keyed with an older version are keyed again at start-up. */
export const searchKeysVersion = 1;

const apostrophes = /['’ʼ`´]/g;
const marks = /\p{M}+/gu;
const separators = /[^\p{L}\p{N}.]+/gu;

/** The words of `text`, folded; dots are kept inside words (ICD-10 "K50.90"), dropped at their ends. */
export function foldWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(marks, '')
    .toLowerCase()
    .replace(apostrophes, '')
    .split(separators)
    .map((word) => word.replace(/^\.+|\.+$/g, ''))
    .filter((word) => word !== '');
}

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
