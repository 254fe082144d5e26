import type { Redis } from 'ioredis';
import { consumerGroups, type StreamKey } from '../../../lib/event-contracts.js';
import type { Consumer } from '../../../lib/events.js';
import type { Logger } from '../../../lib/logger.js';
import { consume, type ConsumeOptions } from '../../../lib/typed-events.js';

/** Consumes a stream as the operations subgraph: its consumer group, one consumer name per process. */
export function consumeAsOperations<S extends StreamKey>(
  redis: Redis,
  options: Omit<ConsumeOptions<S>, 'group' | 'consumer'> & { logger: Logger },
): Promise<Consumer> {
  return consume(redis, { ...options, group: consumerGroups.operations, consumer: `operations-${process.pid}` } as ConsumeOptions<S>);
}
