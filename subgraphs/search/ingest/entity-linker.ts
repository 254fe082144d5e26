import type { EntityPayload } from '../store/entity-store.js';

/**
 * Finds the knowledge entities a text names, by whole-word, case-insensitive match of the
 * entity names from `entity_embeddings` (abbreviations, when included, only in capitals).
 * Longest name wins where names overlap ("rheumatoid arthritis" over "arthritis"), so a text is
 * not linked to a broader entity only because the narrower one contains its name.
 */
export interface DictionaryEntity {
  id: string;
  name: string;
  type: string;
  layer: string;
  /** An abbreviation ("SLE", "T1D"): matches only as written, so "as" never links "AS". */
  exactCase?: boolean;
}

export interface EntityLinker {
  /** The entities named in `text`, each once, in order of first mention. */
  link(text: string): DictionaryEntity[];
}

const tokenPattern = /[\p{L}\p{N}]+/gu;
const isAbbreviation = (synonym: string) => synonym === synonym.toUpperCase() && /\p{Lu}/u.test(synonym);

/**
 * The names to look for: each entity's name and synonyms of 4 characters or more. Abbreviations
 * are left out of documents' dictionaries (a heading in capitals would link them) and put in
 * queries' (`abbreviations`), where a clinician's "T1D" means the disease.
 */
export function dictionaryOf(entities: readonly Pick<EntityPayload, 'entity_id' | 'name' | 'type' | 'layer' | 'synonyms'>[], options: { abbreviations?: boolean } = {}): DictionaryEntity[] {
  return entities.flatMap((entity) => {
    const link = { id: entity.entity_id, type: entity.type, layer: entity.layer };
    const synonyms = entity.synonyms ?? [];
    const names = [entity.name, ...synonyms.filter((synonym) => synonym.length >= 4 && !isAbbreviation(synonym))].map((name) => ({ ...link, name }));
    const abbreviations = options.abbreviations ? synonyms.filter((synonym) => synonym.length >= 2 && isAbbreviation(synonym)).map((name) => ({ ...link, name, exactCase: true })) : [];
    return [...names, ...abbreviations];
  });
}

const tokenize = (text: string): string[] => text.normalize('NFKC').match(tokenPattern) ?? [];

interface Candidate {
  /** Lower-case tokens; `exact` the tokens as written, for abbreviations. */
  tokens: string[];
  exact: string[] | null;
  entities: DictionaryEntity[];
}

export function createEntityLinker(entities: readonly DictionaryEntity[]): EntityLinker {
  // First token -> candidate names (as token lists), longest first: one pass over the text.
  const byFirstToken = new Map<string, Candidate[]>();
  const byName = new Map<string, Candidate>();
  for (const entity of entities) {
    const written = tokenize(entity.name);
    const tokens = written.map((token) => token.toLowerCase());
    const first = tokens[0];
    if (first === undefined) continue;
    const key = entity.exactCase ? `exact:${written.join(' ')}` : tokens.join(' ');
    let candidate = byName.get(key);
    if (!candidate) {
      candidate = { tokens, exact: entity.exactCase ? written : null, entities: [] };
      byName.set(key, candidate);
      const list = byFirstToken.get(first) ?? [];
      list.push(candidate);
      byFirstToken.set(first, list);
    }
    candidate.entities.push(entity);
  }
  for (const list of byFirstToken.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);

  return {
    link(text) {
      const written = tokenize(text);
      const tokens = written.map((token) => token.toLowerCase());
      const found = new Map<string, DictionaryEntity>();
      for (let position = 0; position < tokens.length; ) {
        const candidates = byFirstToken.get(tokens[position] as string) ?? [];
        const match = candidates.find(
          (candidate) =>
            candidate.tokens.every((token, offset) => tokens[position + offset] === token) &&
            (candidate.exact === null || candidate.exact.every((token, offset) => written[position + offset] === token)),
        );
        if (!match) {
          position += 1;
          continue;
        }
        for (const entity of match.entities) if (!found.has(entity.id)) found.set(entity.id, entity);
        position += match.tokens.length;
      }
      return [...found.values()];
    },
  };
}
