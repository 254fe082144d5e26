import DataLoader from 'dataloader';
import type { Driver } from 'neo4j-driver';
import { readLayerHistory, readRelations, type RelationRecord, type TransitionRecord } from './store/graph-reads.js';

export interface RelationKey {
  id: string;
  types: readonly string[] | null;
  first: number;
}

/**
 * Per-request loaders. Relations batch per argument set (one statement per hop of a traversal,
 * whatever the number of parents); the reference loader lives in entity-references.ts.
 */
export function createLoaders(driver: Driver) {
  const relationLoaders = new Map<string, DataLoader<string, RelationRecord[]>>();
  return {
    relations(key: RelationKey): Promise<RelationRecord[]> {
      const argsKey = JSON.stringify([key.types ?? null, key.first]);
      let loader = relationLoaders.get(argsKey);
      if (!loader) {
        loader = new DataLoader(async (ids: readonly string[]) => {
          const byId = await readRelations(driver, ids, key.types ?? null, key.first);
          return ids.map((id) => byId.get(id) ?? []);
        });
        relationLoaders.set(argsKey, loader);
      }
      return loader.load(key.id);
    },
    layerHistory: new DataLoader<string, TransitionRecord[]>(async (ids) => {
      const byId = await readLayerHistory(driver, ids);
      return ids.map((id) => byId.get(id) ?? []);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
