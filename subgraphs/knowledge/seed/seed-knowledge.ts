import type { Config } from '../../../lib/config.js';
import { createRedis } from '../../../lib/redis.js';
import { createEntityPublisher } from '../entity-events.js';
import { createNeo4jDriver } from '../store/driver.js';
import { announceGraphWrites, markGraphChanged } from '../store/graph-generation.js';
import { ensureKnowledgeSchema } from '../store/schema-setup.js';
import { upsertEntities, upsertPatients, upsertRelations } from '../store/seed-writes.js';
import { generateSeedGraph } from './generate.js';

export interface SeedKnowledgeResult {
  entities: number;
  relations: number;
  patients: number;
  events: number;
  ms: number;
}

const batchSize = 500;

async function inBatches<T, R>(items: readonly T[], write: (batch: readonly T[]) => Promise<R[] | void>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += batchSize) results.push(...((await write(items.slice(start, start + batchSize))) ?? []));
  return results;
}

/**
 * Writes the deterministic demo knowledge graph (idempotent: MERGE by id) and, unless
 * `events` is false, publishes `entity.upserted` for every entity so the search subgraph can embed them.
 */
export async function seedKnowledge(config: Config, options: { scale?: number; events?: boolean } = {}): Promise<SeedKnowledgeResult> {
  const redis = createRedis(config.redis.url, 'seed-knowledge');
  // running knowledge processes remember graph reads: the seed's writes make them stale
  const driver = announceGraphWrites(createNeo4jDriver(config.neo4j), () => markGraphChanged(redis));
  try {
    const started = Date.now();
    await ensureKnowledgeSchema(driver);
    const graph = generateSeedGraph(options.scale ?? 1);
    const written = await inBatches(graph.entities, (batch) => upsertEntities(driver, batch));
    await inBatches(graph.relations, (batch) => upsertRelations(driver, batch));
    await inBatches(graph.patients, (batch) => upsertPatients(driver, batch));
    const publish = options.events !== false;
    if (publish) await createEntityPublisher(redis, config.eventStreamPrefix)(written);
    return {
      entities: graph.entities.length,
      relations: graph.relations.length,
      patients: graph.patients.length,
      events: publish ? written.length : 0,
      ms: Date.now() - started,
    };
  } finally {
    redis.disconnect();
    await driver.close();
  }
}
