import { createEntityLinker, dictionaryOf, type EntityLinker } from './ingest/entity-linker.js';
import type { EntityStore } from './store/entity-store.js';

/**
 * The knowledge entities a search text names, for the "chunks naming them" candidate list of
 * passage search. The dictionary (every entity's name, synonyms and abbreviations, from
 * `entity_embeddings`) is built once and rebuilt at most every `refreshMs`, so a new entity is
 * found within that time on every replica.
 */
export interface QueryEntityLinker {
  /** Ids of the entities `text` names, at most `max`, in order of mention. */
  link(text: string, max?: number): Promise<string[]>;
}

export function createQueryEntityLinker(entities: EntityStore, refreshMs = 30_000): QueryEntityLinker {
  let current: { linker: Promise<EntityLinker>; builtAt: number } | undefined;
  const linker = () => {
    if (!current || Date.now() - current.builtAt > refreshMs) {
      const building = entities.listAll().then((all) => createEntityLinker(dictionaryOf(all, { abbreviations: true })));
      // a failed build is not kept: the next search tries again
      building.catch(() => {
        if (current?.linker === building) current = undefined;
      });
      current = { linker: building, builtAt: Date.now() };
    }
    return current.linker;
  };
  return {
    async link(text, max = 5) {
      return (await linker()).link(text).slice(0, max).map((entity) => entity.id);
    },
  };
}
