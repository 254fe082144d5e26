import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { consumerGroups } from '../../lib/event-contracts.js';
import type { Consumer } from '../../lib/events.js';
import type { Logger } from '../../lib/logger.js';
import type { MetricsTarget } from '../../lib/store-metrics.js';
import { consume } from '../../lib/typed-events.js';
import type { PublishEntities } from './entity-events.js';
import { applyFeedbackEvent } from './store/feedback-writes.js';

export interface FeedbackConsumerOptions {
  redis: Redis;
  driver: Driver;
  streamPrefix: string;
  logger: Logger;
  publishEntities: PublishEntities;
  /** Where the lag gauge goes (lib/consumer-lag); none: no metric. */
  metrics?: MetricsTarget;
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
  return consume(redis, {
    prefix: options.streamPrefix,
    stream: 'feedback',
    group: consumerGroups.knowledgeFeedback,
    consumer: options.consumerName ?? `knowledge-${process.pid}`,
    logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.claimIdleMs !== undefined ? { claimIdleMs: options.claimIdleMs } : {}),
    handle: async (event) => {
      const { rating, severity, entityIds } = event.payload;
      const result = await applyFeedbackEvent(driver, event.id, entityIds, { rating, severity });
      if (result.demoted.length > 0) await options.publishEntities(result.demoted);
    },
  });
}
