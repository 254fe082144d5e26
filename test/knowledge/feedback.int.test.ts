import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { publishEvent, type Consumer } from '../../lib/events.js';
import { createLogger } from '../../lib/logger.js';
import { createRedis } from '../../lib/redis.js';
import { consumerGroups } from '../../lib/event-contracts.js';
import { startFeedbackConsumer } from '../../subgraphs/knowledge/feedback-consumer.js';

const feedbackGroup = consumerGroups.knowledgeFeedback;
import { createNeo4jDriver } from '../../subgraphs/knowledge/store/driver.js';
import { applyFeedbackEvent } from '../../subgraphs/knowledge/store/feedback-writes.js';
import { ensureKnowledgeSchema } from '../../subgraphs/knowledge/store/schema-setup.js';
import { upsertEntities } from '../../subgraphs/knowledge/store/seed-writes.js';
import { removeTestData } from './support/knowledge-fixture.js';

const config = loadConfig();
const tag = randomUUID().slice(0, 8);
const prefix = `kgtest-${tag}:`;
const streamPrefix = `test-kgfb-${tag}`;
const stream = `${streamPrefix}:feedback`;
const logger = createLogger({ logLevel: 'warn' }, 'knowledge-feedback-test');
let driver: Driver;
let redis: Redis;
const published: string[] = [];

beforeAll(async () => {
  driver = createNeo4jDriver(config.neo4j);
  redis = createRedis(config.redis.url, 'knowledge-feedback-test');
  await ensureKnowledgeSchema(driver);
});

afterAll(async () => {
  await removeTestData(driver, prefix);
  await redis.del(stream, `${streamPrefix}:entities`);
  redis.disconnect();
  await driver.close();
});

const id = (name: string) => `${prefix}${name}`;

function feedbackEvent(feedbackId: string, rating: number, entityIds: string[], severity: string | null = null) {
  return {
    id: `feedback:${prefix}${feedbackId}`,
    type: 'feedback.submitted',
    payload: { feedbackId: `${prefix}${feedbackId}`, responseId: 'r1', sessionId: null, patientId: null, rating, feedbackType: rating >= 4 ? 'HELPFUL' : 'UNHELPFUL', severity, entityIds, layers: ['SEMANTIC'], createdAt: new Date().toISOString() },
  };
}

async function publish(event: ReturnType<typeof feedbackEvent>): Promise<void> {
  published.push(await publishEvent(redis, stream, event));
}

async function waitForProcessed(eventIds: string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { records } = await driver.executeQuery('MATCH (p:ProcessedEvent) WHERE p.id IN $ids RETURN count(p) AS n', { ids: eventIds });
    if (records[0]?.get('n') === eventIds.length) return;
    if (Date.now() > deadline) throw new Error(`events not processed in time: ${eventIds.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForNoPending(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const summary = (await redis.xpending(stream, feedbackGroup)) as [number, ...unknown[]];
    if (summary[0] === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('entries still pending');
}

async function stateOf(name: string) {
  const { records } = await driver.executeQuery(
    `MATCH (e:MedicalEntity {id: $id}) OPTIONAL MATCH (t:LayerTransition {entity_id: $id, trigger_type: 'feedback'})
     RETURN e.confidence AS confidence, e.layer AS layer, e.feedback_count AS total, e.positive_feedback_count AS positive,
       e.negative_feedback_count AS negative, collect(t.from_layer + '->' + t.to_layer) AS demotions`,
    { id: id(name) },
  );
  const state = records[0]?.toObject() as { confidence: number; layer: string; total: number; positive: number; negative: number; demotions: string[] };
  return { ...state, confidence: Math.round(state.confidence * 1000) / 1000 };
}

describe('feedback events', () => {
  let consumer: Consumer | undefined;
  const registry = new Registry();
  afterAll(async () => consumer?.stop());

  it('applies the confidence rules, counters and the demotion rule to every entity involved, leaving no lag', async () => {
    await upsertEntities(driver, [
      { id: id('a'), name: 'Feedback A', type: 'DISEASE', description: 'feedback test', layer: 'SEMANTIC', confidence: 0.5 },
      { id: id('b'), name: 'Feedback B', type: 'DRUG', description: 'feedback test', layer: 'REASONING', confidence: 0.6 },
    ]);
    const both = [id('a'), id('b')];
    const events = [feedbackEvent('f1', 1, both, 'CRITICAL'), feedbackEvent('f2', 2, both), feedbackEvent('f3', 5, both), feedbackEvent('f4', 1, both, 'LOW'), feedbackEvent('f5', 4, both)];
    await redis.xgroup('CREATE', stream, feedbackGroup, '0', 'MKSTREAM');
    for (const event of events) await publish(event);

    consumer = await startFeedbackConsumer({ redis, driver, streamPrefix, logger, publishEntities: async () => {}, metrics: { registry, prefix: 'knowledge' }, consumerName: 'first' });
    await waitForProcessed(events.map((event) => event.id));
    await waitForNoPending();

    // 0.5 -0.10 -0.05 +0.02 -0.05 +0.02 = 0.34; fifth feedback with 3 negatives: one layer down, -0.2
    expect(await stateOf('a')).toEqual({ confidence: 0.14, layer: 'PERCEPTION', total: 5, positive: 2, negative: 3, demotions: ['SEMANTIC->PERCEPTION'] });
    expect(await stateOf('b')).toEqual({ confidence: 0.24, layer: 'SEMANTIC', total: 5, positive: 2, negative: 3, demotions: ['REASONING->SEMANTIC'] });
    const metrics = await registry.getSingleMetricAsString('knowledge_event_consumer_lag');
    expect(metrics).toContain(`knowledge_event_consumer_lag{stream="${stream}",group="${feedbackGroup}"} 0`);
  });

  it('changes nothing when the same events are replayed', async () => {
    const both = [id('a'), id('b')];
    for (const name of ['f1', 'f2', 'f3', 'f4', 'f5']) await publish(feedbackEvent(name, name === 'f3' || name === 'f5' ? 5 : 1, both, 'CRITICAL'));
    const sentinel = feedbackEvent('sentinel', 3, [id('a')]);
    await publish(sentinel);
    await waitForProcessed([sentinel.id]);
    await waitForNoPending();
    expect(await stateOf('a')).toEqual({ confidence: 0.14, layer: 'PERCEPTION', total: 6, positive: 2, negative: 3, demotions: ['SEMANTIC->PERCEPTION'] });
    expect(await stateOf('b')).toEqual({ confidence: 0.24, layer: 'SEMANTIC', total: 5, positive: 2, negative: 3, demotions: ['REASONING->SEMANTIC'] });
  });

  it('loses nothing and applies nothing twice when a consumer crashes between commit and acknowledge', async () => {
    await consumer?.stop();
    consumer = undefined;
    const event = feedbackEvent('crash', 5, [id('b')]);
    await publish(event);
    // The crashed consumer: it read the entry and committed the effect, but never acknowledged.
    const read = (await redis.xreadgroup('GROUP', feedbackGroup, 'crashed', 'COUNT', 10, 'STREAMS', stream, '>')) as [string, [string, string[]][]][];
    expect(read[0]?.[1]).toHaveLength(1);
    await applyFeedbackEvent(driver, event.id, [id('b')], { rating: 5, severity: null });
    const lag = await registry.getSingleMetricAsString('knowledge_event_consumer_lag');
    expect(lag).toContain(`knowledge_event_consumer_lag{stream="${stream}",group="${feedbackGroup}"} 1`);

    consumer = await startFeedbackConsumer({ redis, driver, streamPrefix, logger, publishEntities: async () => {}, consumerName: 'second', claimIdleMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await waitForNoPending();
    expect(await stateOf('b')).toEqual({ confidence: 0.26, layer: 'SEMANTIC', total: 6, positive: 3, negative: 3, demotions: ['REASONING->SEMANTIC'] });
  });
});
