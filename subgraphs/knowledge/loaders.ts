import DataLoader from 'dataloader';
import type { Driver } from 'neo4j-driver';
import { readEntities, readLayerHistory, readRelations } from './store/entity-reads.js';
import type { GraphReads } from './store/graph-memo.js';
import { readPatients } from './store/patient-reads.js';
import type { EntityRecord, PatientRecord, RelationRecord, TransitionRecord } from './store/records.js';

export interface RelationKey {
  id: string;
  types: readonly string[] | null;
  first: number;
}

/**
 * Per-request loaders: one statement per batch of entity or patient references, per batch of
 * layer histories, and per argument set of relations (one per hop of a traversal, whatever the
 * number of parents). Entities and relations go through the graph memo (`graph`): only those
 * it does not hold are read.
 */
export function createLoaders(driver: Driver, graph: GraphReads) {
  const relationLoaders = new Map<string, DataLoader<string, RelationRecord[]>>();
  return {
    relations(key: RelationKey): Promise<RelationRecord[]> {
      const argsKey = JSON.stringify([key.types ?? null, key.first]);
      let loader = relationLoaders.get(argsKey);
      if (!loader) {
        loader = new DataLoader(async (ids: readonly string[]) => {
          const byId = await graph.through(`relations ${argsKey}`, ids, (missing) => readRelations(driver, missing, key.types ?? null, key.first));
          return ids.map((id) => byId.get(id) ?? []);
        });
        relationLoaders.set(argsKey, loader);
      }
      return loader.load(key.id);
    },
    entities: new DataLoader<string, EntityRecord | undefined>(async (ids) => {
      const byId = await graph.through('entities', ids, (missing) => readEntities(driver, missing));
      return ids.map((id) => byId.get(id));
    }),
    patients: new DataLoader<string, PatientRecord | undefined>(async (ids) => {
      const byId = await readPatients(driver, ids);
      return ids.map((id) => byId.get(id));
    }),
    layerHistory: new DataLoader<string, TransitionRecord[]>(async (ids) => {
      const byId = await readLayerHistory(driver, ids);
      return ids.map((id) => byId.get(id) ?? []);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
