/**
 * Text as search compares it: lower case, no diacritics ("Sjögren" → "sjogren"), no apostrophes
 * ("Crohn's" → "crohns"), split into words. Entity search (knowledge) and passage search's
 * lexical vectors (search) fold alike.
 */
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
