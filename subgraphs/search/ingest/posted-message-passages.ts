import type { Redis } from 'ioredis';
import { consumerGroups } from '../../../lib/event-contracts.js';
import type { Consumer } from '../../../lib/events.js';
import type { Logger } from '../../../lib/logger.js';
import type { MetricsTarget } from '../../../lib/store-metrics.js';
import { consume } from '../../../lib/typed-events.js';
import type { PassageQuery } from '../loaders.js';
import { defaultSupportingPassages, supportingPassagesQuery, type MessageText } from '../message-passage-query.js';

export interface PostedMessage extends MessageText {
  id: string;
}

export interface PostedMessagePassagesOptions {
  redis: Redis;
  streamPrefix: string;
  /** The posted messages of these ids that exist (read from the operations subgraph). */
  readMessages: (ids: readonly string[]) => Promise<PostedMessage[]>;
  /** Searches these passage queries through the passage memo, which keeps their results. */
  searchPassages: (queries: readonly PassageQuery[]) => Promise<void>;
  logger: Logger;
  /** Consumer name inside the `search-passages` group; one per process. */
  consumer: string;
  blockMs?: number;
  metrics?: MetricsTarget;
}

/**
 * Computes a posted message's supporting passages when it is written (`message.added`), so its
 * first read finds them in the passage memo instead of waiting for the embedding model and a
 * Qdrant search. The event names the message only (its text never travels through Redis): the
 * text and mentions are read from the operations subgraph with the search service's own token.
 * Only the head start can be lost: when operations or the search fails, the batch is logged and
 * acknowledged, and those passages are searched at the message's first read, as before.
 */
export function startPostedMessagePassages(options: PostedMessagePassagesOptions): Promise<Consumer> {
  const { redis, streamPrefix, logger } = options;
  return consume(redis, {
    prefix: streamPrefix,
    stream: 'sessions',
    group: consumerGroups.searchPassages,
    consumer: options.consumer,
    logger,
    batchSize: 50,
    // messages posted before the search subgraph first ran are searched at their first read
    startAt: 'newest',
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.blockMs !== undefined ? { blockMs: options.blockMs } : {}),
    handleBatch: async (events) => {
      const ids = events.flatMap((event) => (event.type === 'message.added' ? [event.payload.messageId] : []));
      if (ids.length === 0) return;
      try {
        const messages = await options.readMessages(ids);
        await options.searchPassages(messages.flatMap((message) => supportingPassagesQuery(message, defaultSupportingPassages) ?? []));
        logger.debug({ messages: messages.length, events: ids.length }, 'passages of posted messages computed');
      } catch (error) {
        logger.warn({ err: error, messages: ids.length }, 'passages of posted messages not computed ahead; they are searched at first read');
      }
    },
  });
}

const postedMessagesQuery = 'query PostedMessages($r: [_Any!]!) { _entities(representations: $r) { ... on Message { id content mentions { id } } } }';

/**
 * Reads posted messages from the operations subgraph at `url`, as the service `token` names (a
 * message that is gone, or that service may not read, is left out).
 */
export function createPostedMessageReader(url: string, token: () => Promise<string>, timeoutMs = 5_000): (ids: readonly string[]) => Promise<PostedMessage[]> {
  return async (ids) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
      body: JSON.stringify({ query: postedMessagesQuery, variables: { r: ids.map((id) => ({ __typename: 'Message', id })) } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => undefined)) as { data?: { _entities: (PostedMessage | null)[] } | null; errors?: { message: string }[] } | undefined;
    if (!body?.data) throw new Error(`operations answered HTTP ${response.status} without messages: ${body?.errors?.[0]?.message ?? 'no GraphQL body'}`);
    return body.data._entities.filter((message): message is PostedMessage => message !== null);
  };
}
