import type { Config } from '../lib/config.js';
import { consumerLag } from '../lib/consumer-lag.js';
import { consumerGroups, streamName } from '../lib/event-contracts.js';
import { requestGraphQL } from '../lib/graphql-client.js';
import { createRedis } from '../lib/redis.js';
import { generateSeedGraph } from '../subgraphs/knowledge/seed/generate.js';
import { seedKnowledge } from '../subgraphs/knowledge/seed/seed-knowledge.js';
import { seedConversations } from './seed-conversations.js';
import { demoCorpusDir, seedDocuments } from './seed-documents.js';

/**
 * The demo data that is missing, through a running gateway: the knowledge graph, the 20 documents,
 * conversations with feedback. What is there already is kept, so a second run seeds nothing.
 * `npm start` and compose's demo-seed service (scripts/seed-demo.ts) both run it.
 */
export async function seedDemoData(config: Config, url: string, serviceToken: string, log: (message: string) => void): Promise<void> {
  await seedKnowledgeIfEmpty(config, url, serviceToken, log);
  const documents = await seedDocuments({ url, token: serviceToken, dir: demoCorpusDir, log });
  log(`documents: ${documents.ingested.length} ingested, ${documents.skipped} already there, ${documents.failed.length} failed`);
  const demoPatients = generateSeedGraph(1).patients.slice(0, 12).map((patient) => patient.id);
  const conversations = await seedConversations({ url, token: serviceToken, patientIds: demoPatients, feedbackPerEntityPerDay: config.feedbackLimits.perEntityPerDay, log });
  log(`conversations: ${conversations.sessions} sessions, ${conversations.messages} messages, ${conversations.feedback} feedback (${conversations.skippedPatients} patients already had some)`);
}

async function seedKnowledgeIfEmpty(config: Config, url: string, token: string, log: (message: string) => void): Promise<void> {
  const { layerStats } = await requestGraphQL<{ layerStats: { entities: number }[] }>(url, '{ layerStats { entities } }', {}, { token });
  if (layerStats.some((layer) => layer.entities > 0)) {
    log('knowledge graph already seeded');
    return;
  }
  const result = await seedKnowledge(config);
  log(`knowledge graph seeded: ${result.entities} entities, ${result.relations} relationships, ${result.patients} patients`);
  await waitForEntitySync(config, log);
}

/** Documents link their chunks to entities that search knows of: let it embed them first. */
async function waitForEntitySync(config: Config, log: (message: string) => void): Promise<void> {
  const redis = createRedis(config.redis.url, 'demo-seed');
  try {
    const stream = streamName(config.eventStreamPrefix, 'entities');
    for (;;) {
      const { lag, pending } = await consumerLag(redis, stream, consumerGroups.searchEntities);
      if (lag === 0 && pending === 0) return;
      log(`search is embedding knowledge entities: ${lag + pending} to go`);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  } finally {
    redis.disconnect();
  }
}
