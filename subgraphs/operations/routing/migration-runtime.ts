import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import type { Registry } from 'prom-client';
import type { Config } from '../../../lib/config.js';
import type { Logger } from '../../../lib/logger.js';
import { publishStageEpoch } from '../../../lib/stage-epoch.js';
import { knowledgeConceptResolver } from '../../../migration/knowledge-concepts.js';
import { createLegacyDriver, pingLegacy } from '../../../migration/legacy/driver.js';
import { ensureLegacyIndexes } from '../../../migration/legacy/indexes.js';
import { legacyFormat } from '../../../migration/legacy/legacy-format.js';
import type { ChangeEnvelope } from '../../../migration/changes.js';
import { startDualWriteRelay, type DualWriteRelay } from '../../../migration/relay/dual-write-relay.js';
import { migrationDomains, stagePlan, type MigrationDomain } from '../../../migration/stages/stage-rules.js';
import { ensureStages } from '../../../migration/stages/initial-stages.js';
import { stageChangeContext } from '../../../migration/stages/stage-context.js';
import { startStageWatcher, stagesEpoch, type StageWatcher } from '../../../migration/stages/stage-watcher.js';
import { enqueueLegacyChange } from '../../../migration/store/change-queue.js';
import type { StageChangeContext } from '../../../migration/store/stage-store.js';
import type { Database, OutboxEvent } from '../store/index.js';
import { legacyDocumentStore } from './legacy-documents.js';
import { legacyStores } from './legacy-stores.js';
import { postgresDocumentStore } from './postgres-documents.js';
import { registerMigrationMetrics } from './migration-metrics.js';
import { conversationEvents } from '../events/conversation-events.js';
import { postgresStores } from './postgres-stores.js';
import { routedStores, type StoreSet } from './routed-stores.js';
import { createShadowReader, type ShadowReader } from './shadow-reads.js';
import { createShadowRecorder } from './shadow-recorder.js';

/** Everything the operations subgraph needs to serve conversations and feedback during the move. */
export interface MigrationRuntime {
  stores: StoreSet;
  stages: StageWatcher;
  relay: DualWriteRelay;
  shadow: ShadowReader;
  legacyDriver: Driver;
  /** What the stage gates ask the stores (stage-store.ts). */
  stageContext: StageChangeContext;
  /** True when some domain still uses the legacy store (readiness then checks it). */
  usesLegacy(): boolean;
  pingLegacy(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Reads (or stores, on first start) the stages, then builds both stores of each domain and the
 * routing between them, the dual-write relay and shadow reads. The knowledge graph's Neo4j is
 * read to resolve legacy concept names.
 */
export interface MigrationRuntimeDeps {
  db: Database;
  redis: Redis;
  logger: Logger;
  /** Publishes committed outbox events now (failures are left to the outbox relay). */
  publishNow(events: readonly OutboxEvent[]): Promise<void>;
  registry?: Registry;
  relayIntervalMs?: number;
}

export async function startMigrationRuntime(config: Config, deps: MigrationRuntimeDeps): Promise<MigrationRuntime> {
  const { db, redis, logger } = deps;
  const legacyDriver = createLegacyDriver(config.migration.legacy);
  const concepts = knowledgeConceptResolver(config.neo4j);
  const format = legacyFormat(config.migration.legacy.timeZone);
  const initial = await ensureStages(db, legacyDriver, config.migration.initialDualWrite);
  const stages = await startStageWatcher({ db, databaseUrl: config.postgres.url, initial, pollMs: config.migration.stagePollMs, logger });
  const usesLegacy = () => migrationDomains.some((domain) => stages.stage(domain).stage !== 'complete');

  let indexesReady = false;
  const readyLegacy = () => {
    if (indexesReady || !usesLegacy()) return;
    indexesReady = true;
    ensureLegacyIndexes(legacyDriver).catch((error: unknown) => {
      indexesReady = false;
      logger.warn({ err: error }, 'legacy indexes not created yet (legacy reads are slower until they are)');
    });
  };
  readyLegacy();
  const announce = () => publishStageEpoch(redis, config.eventStreamPrefix, stagesEpoch(stages.stages())).catch((error: unknown) => logger.warn({ err: error }, 'stage epoch not announced to the gateway'));
  stages.onChange(() => {
    readyLegacy();
    void announce();
  });
  await announce();

  const metrics = deps.registry ? registerMigrationMetrics(deps.registry, { db, legacyDriver, stages }) : undefined;
  const dualWrites = (domain: MigrationDomain) => stagePlan(stages.stage(domain).stage).dualWrite;
  const relay = startDualWriteRelay({ db, driver: legacyDriver, redis, format, logger, intervalMs: deps.relayIntervalMs ?? config.migration.relayIntervalMs, dualWriting: () => migrationDomains.some(dualWrites) });
  const recorder = createShadowRecorder(db, { registry: deps.registry, logger, flushMs: 5000 });
  const shadow = createShadowReader(recorder, { timeoutMs: config.migration.shadowTimeoutMs, maxInFlight: config.migration.shadowMaxInFlight, logger });
  const queue = { dualWrites, enqueue: enqueueLegacyChange, committed: (envelope: ChangeEnvelope) => relay.postgresCommitted(envelope) };
  const feed = { dualWrites, committed: (envelope: ChangeEnvelope) => relay.legacyCommitted(envelope) };
  const conversationAnnouncements = conversationEvents(config.eventStreamPrefix);
  const postgres = { ...postgresStores(db, queue, deps.publishNow, conversationAnnouncements), documents: postgresDocumentStore(db, queue, deps.publishNow) };
  const legacy = { ...legacyStores(legacyDriver, format, concepts.resolve, feed, conversationAnnouncements), documents: legacyDocumentStore(legacyDriver, format, concepts.resolve, feed) };
  return {
    stores: routedStores({ stage: (domain) => stages.stage(domain), postgres: metrics?.timeStores('postgres', postgres) ?? postgres, legacy: metrics?.timeStores('legacy', legacy) ?? legacy, shadow, catchUp: (aggregate, into) => relay.catchUp(aggregate, into) }),
    stages,
    relay,
    shadow,
    legacyDriver,
    stageContext: stageChangeContext(legacyDriver),
    usesLegacy,
    pingLegacy: () => pingLegacy(legacyDriver),
    stop: async () => {
      await relay.stop();
      await shadow.settled();
      await recorder.stop();
      await stages.stop();
      await Promise.all([legacyDriver.close(), concepts.close()]);
    },
  };
}
