/**
 * Finds the knowledge entities a chunk names, by whole-word, case-insensitive match of the
 * entity names from `entity_embeddings`. Longest name wins where names overlap
 * ("rheumatoid arthritis" over "arthritis"), so a chunk is not linked to a broader entity
 * only because the narrower one contains its name.
 */
export interface DictionaryEntity {
  id: string;
  name: string;
  type: string;
  layer: string;
}

export interface EntityLinker {
  /** The entities named in `text`, each once, in order of first mention. */
  link(text: string): DictionaryEntity[];
}

const tokenPattern = /[\p{L}\p{N}]+/gu;

function tokenize(text: string): string[] {
  return text.toLowerCase().normalize('NFKC').match(tokenPattern) ?? [];
}

export function createEntityLinker(entities: readonly DictionaryEntity[]): EntityLinker {
  // First token -> candidate names (as token lists), longest first: one pass over the text.
  const byFirstToken = new Map<string, { tokens: string[]; entities: DictionaryEntity[] }[]>();
  const byName = new Map<string, { tokens: string[]; entities: DictionaryEntity[] }>();
  for (const entity of entities) {
    const tokens = tokenize(entity.name);
    const first = tokens[0];
    if (first === undefined) continue;
    const key = tokens.join(' ');
    let candidate = byName.get(key);
    if (!candidate) {
      candidate = { tokens, entities: [] };
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
      const tokens = tokenize(text);
      const found = new Map<string, DictionaryEntity>();
      for (let position = 0; position < tokens.length; ) {
        const candidates = byFirstToken.get(tokens[position] as string) ?? [];
        const match = candidates.find((candidate) => candidate.tokens.every((token, offset) => tokens[position + offset] === token));
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
