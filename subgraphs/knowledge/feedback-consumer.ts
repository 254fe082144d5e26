import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import { consumerLag, startConsumer, type Consumer, type DurableEvent } from '../../lib/events.js';
import type { Logger } from '../../lib/logger.js';
import type { PublishEntities } from './entity-events.js';
import { applyFeedbackEvent } from './store/feedback-writes.js';

/** The fields of `feedback.submitted` (docs/federation-contract.md) the knowledge graph uses. */
const feedbackPayload = z.object({
  feedbackId: z.string().min(1),
  rating: z.number().int().min(1).max(5),
  severity: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']).nullish(),
  entityIds: z.array(z.string().min(1)).nullish(),
});

export const feedbackGroup = 'knowledge';

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
  const stream = `${options.streamPrefix}:feedback`;
  const { redis, driver, logger } = options;
  if (options.registry) {
    new Gauge({
      name: 'knowledge_feedback_consumer_lag',
      help: 'Feedback events not yet processed by the knowledge subgraph (undelivered + unacknowledged)',
      registers: [options.registry],
      async collect() {
        const { lag, pending } = await consumerLag(redis, stream, feedbackGroup);
        this.set(lag + pending);
      },
    });
  }
  return startConsumer(redis, {
    stream,
    group: feedbackGroup,
    consumer: options.consumerName ?? `knowledge-${process.pid}`,
    logger,
    claimIdleMs: options.claimIdleMs,
    handle: async (event: DurableEvent<unknown>) => {
      if (event.type !== 'feedback.submitted') return;
      const parsed = feedbackPayload.safeParse(event.payload);
      if (!parsed.success) {
        logger.error({ eventId: event.id, issues: parsed.error.issues }, 'malformed feedback event skipped');
        return;
      }
      const { rating, severity, entityIds } = parsed.data;
      const result = await applyFeedbackEvent(driver, event.id, entityIds ?? [], { rating, severity });
      if (result.demoted.length > 0) await options.publishEntities(result.demoted);
    },
  });
}
