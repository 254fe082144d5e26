import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { Gauge, type Registry } from 'prom-client';
import { consumerGroups, streamName } from '../../lib/event-contracts.js';
import { consumerLag, type Consumer } from '../../lib/events.js';
import type { Logger } from '../../lib/logger.js';
import { consume } from '../../lib/typed-events.js';
import type { PublishEntities } from './entity-events.js';
import { applyFeedbackEvent } from './store/feedback-writes.js';

export interface FeedbackConsumerOptions {
  redis: Redis;
  driver: Driver;
  streamPrefix: string;
  logger: Logger;
  publishEntities: PublishEntities;
  /** Registry for the lag gauge; none: no metric. */
  registry?: Registry;
  consumerName?: string;
  /** Passed to lib/events: how long a crashed consumer's entry stays pending before it is claimed. */
  claimIdleMs?: number;
}

/**
 * Applies `feedback.submitted` events to the knowledge graph (confidence, counters, demotion).
 * Delivery is at least once; applyFeedbackEvent makes it exactly once in effect.
 */
export async function startFeedbackConsumer(options: FeedbackConsumerOptions): Promise<Consumer> {
  const { redis, driver, logger } = options;
  const group = consumerGroups.knowledgeFeedback;
  if (options.registry) {
    const stream = streamName(options.streamPrefix, 'feedback');
    new Gauge({
      name: 'knowledge_feedback_consumer_lag',
      help: 'Feedback events not yet processed by the knowledge subgraph (undelivered + unacknowledged)',
      registers: [options.registry],
      async collect() {
        const { lag, pending } = await consumerLag(redis, stream, group);
        this.set(lag + pending);
      },
    });
  }
  return consume(redis, {
    prefix: options.streamPrefix,
    stream: 'feedback',
    group,
    consumer: options.consumerName ?? `knowledge-${process.pid}`,
    logger,
    ...(options.claimIdleMs !== undefined ? { claimIdleMs: options.claimIdleMs } : {}),
    handle: async (event) => {
      const { rating, severity, entityIds } = event.payload;
      const result = await applyFeedbackEvent(driver, event.id, entityIds, { rating, severity });
      if (result.demoted.length > 0) await options.publishEntities(result.demoted);
    },
  });
}
