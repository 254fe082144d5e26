import type { Driver } from 'neo4j-driver';
import { pendingChangeSummary } from '../legacy/change-nodes.js';
import { queuedChangeSummary } from '../store/change-queue.js';
import type { StageChangeContext } from '../store/stage-store.js';

/** What a stage change asks of the stores: the changes still waiting for the other one, in each direction. */
export function stageChangeContext(legacy: Driver): StageChangeContext {
  return {
    pendingLegacyChanges: async (domain) => (await pendingChangeSummary(legacy, domain)).pending,
    pendingPostgresChanges: async (tx, domain) => (await queuedChangeSummary(tx, domain)).pending,
  };
}
