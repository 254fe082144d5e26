import type { Redis } from 'ioredis';
import { watchConsumerLag } from './consumer-lag.js';
import type { Logger } from './logger.js';
import type { MetricsTarget } from './store-metrics.js';

/**
 * Durable events between subgraphs on Redis streams. Delivery is at least once: a consumer
 * acknowledges an entry only after its handler succeeded, and entries left pending by a
 * crashed consumer are claimed again. Handlers make that exactly once in effect by recording
 * `event.id` in their own store in the same transaction as the effect.
 */
export interface DurableEvent<TPayload> {
  /** Stable id chosen by the producer (e.g. `feedback:<uuid>`): replays carry the same id. */
  id: string;
  type: string;
  /** The version of the event's contract (lib/event-contracts) it was written in; 1 when absent. */
  version: number;
  payload: TPayload;
  publishedAt: string;
}

/** Appends one event to a stream (keeping about its last `retain` entries); producers go through lib/typed-events, which checks it against its contract first. */
export async function publishEvent<TPayload>(
  redis: Redis,
  stream: string,
  event: Omit<DurableEvent<TPayload>, 'publishedAt' | 'version'> & { version?: number },
  options: { retain?: number } = {},
): Promise<string> {
  // `~`: Redis trims whole nodes of the stream, which costs next to nothing per append
  const trim = options.retain ? (['MAXLEN', '~', String(options.retain)] as const) : ([] as const);
  const entryId = await redis.xadd(
    stream,
    ...trim,
    '*',
    'id',
    event.id,
    'type',
    event.type,
    'payload',
    JSON.stringify(event.payload),
    'version',
    String(event.version ?? 1),
    'publishedAt',
    new Date().toISOString(),
  );
  if (entryId === null) throw new Error(`XADD to ${stream} returned no id`);
  return entryId;
}

/**
 * How a consumer handles what it reads: one event at a time, or every event of a read at once
 * (a failing batch stays pending as a whole; handlers are idempotent by event id either way).
 */
export type EventHandler<TPayload> =
  | { handle: (event: DurableEvent<TPayload>) => Promise<void>; handleBatch?: never }
  | { handleBatch: (events: DurableEvent<TPayload>[]) => Promise<void>; handle?: never };

export type ConsumerOptions<TPayload> = EventHandler<TPayload> & {
  stream: string;
  group: string;
  consumer: string;
  logger: Logger;
  /** Entries per read; default 50. */
  batchSize?: number;
  /** How long one blocking read waits; default 1000 ms. */
  blockMs?: number;
  /**
   * After a read that did not fill a batch, wait this long before reading again, so the next read
   * gathers what arrived meanwhile (default 0): for work that costs about the same for one event as
   * for a batch and may wait, like rows that are only counted later.
   */
  gatherMs?: number;
  /** Pending entries idle this long (a crashed consumer's) are claimed; default 30 s. */
  claimIdleMs?: number;
  /** Export the group's lag as `<prefix>_event_consumer_lag` in this service's registry. */
  metrics?: MetricsTarget;
  /**
   * Where a group made now starts reading: the stream's first entry (default: it acts on every
   * event), or its end (`newest`: a group that only gets ahead of work done anyway, which need not
   * redo the whole retained history when it is first deployed).
   */
  startAt?: 'first' | 'newest';
};

export interface Consumer {
  /** Resolves when the loop has finished its current batch and stopped. */
  stop(): Promise<void>;
}

/** Creates the consumer group if needed, reading the stream from its start or (`newest`) its end. */
export async function ensureGroup(redis: Redis, stream: string, group: string, startAt: 'first' | 'newest' = 'first'): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, group, startAt === 'newest' ? '$' : '0', 'MKSTREAM');
  } catch (error) {
    if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
  }
}

/**
 * Runs a consumer loop on its own connection (blocking reads would stall a shared one).
 * A failing handler leaves its entry pending; it is retried after `claimIdleMs`.
 */
export async function startConsumer<TPayload>(redis: Redis, options: ConsumerOptions<TPayload>): Promise<Consumer> {
  const { stream, group, consumer, logger, batchSize = 50, blockMs = 1000, gatherMs = 0, claimIdleMs = 30_000 } = options;
  const connection = redis.duplicate({ connectionName: `${group}:${consumer}` });
  await ensureGroup(connection, stream, group, options.startAt);
  if (options.metrics) watchConsumerLag(options.metrics, redis, stream, group);
  let running = true;
  let lastClaim = 0;
  let endGathering = () => {};
  const gather = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, gatherMs);
      endGathering = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** The entry ids whose events were handled: a whole batch or none of it, or event by event. */
  async function handleDecoded(decoded: { entryId: string; event: DurableEvent<TPayload> }[]): Promise<string[]> {
    if (options.handleBatch) {
      try {
        await options.handleBatch(decoded.map(({ event }) => event));
        return decoded.map(({ entryId }) => entryId);
      } catch (error) {
        logger.error({ err: error, stream, entries: decoded.length }, 'event batch handler failed; left pending for retry');
        return [];
      }
    }
    const handled: string[] = [];
    for (const { entryId, event } of decoded) {
      try {
        await options.handle(event);
        handled.push(entryId);
      } catch (error) {
        logger.error({ err: error, stream, entryId, eventId: event.id }, 'event handler failed; left pending for retry');
      }
    }
    return handled;
  }

  /** Handles the decodable entries, then acknowledges in one command what succeeded or cannot be decoded. */
  async function handleEntries(entries: [string, string[]][]): Promise<void> {
    const malformed: string[] = [];
    const decoded: { entryId: string; event: DurableEvent<TPayload> }[] = [];
    for (const [entryId, fields] of entries) {
      const event = decodeStreamEntry<TPayload>(fields);
      if (event) decoded.push({ entryId, event });
      else {
        logger.error({ stream, entryId }, 'malformed event acknowledged and skipped');
        malformed.push(entryId);
      }
    }
    const done = [...malformed, ...(decoded.length > 0 ? await handleDecoded(decoded) : [])];
    if (done.length > 0) await connection.xack(stream, group, ...done);
  }

  async function loop(): Promise<void> {
    while (running) {
      try {
        if (Date.now() - lastClaim >= claimIdleMs) {
          lastClaim = Date.now();
          const [, claimed] = (await connection.xautoclaim(stream, group, consumer, claimIdleMs, '0', 'COUNT', batchSize)) as [string, [string, string[]][]];
          await handleEntries(claimed.filter((entry) => entry !== null && Array.isArray(entry[1])));
        }
        const read = (await connection.xreadgroup('GROUP', group, consumer, 'COUNT', batchSize, 'BLOCK', blockMs, 'STREAMS', stream, '>')) as
          | [string, [string, string[]][]][]
          | null;
        const entries = read?.[0]?.[1];
        if (!entries) continue;
        await handleEntries(entries);
        if (gatherMs > 0 && entries.length < batchSize && running) await gather();
      } catch (error) {
        if (!running) break;
        logger.error({ err: error, stream }, 'event consumer read failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  const done = loop();
  return {
    stop: async () => {
      running = false;
      endGathering();
      await done;
      connection.disconnect();
    },
  };
}

/** The event an entry's fields hold, or undefined when they hold none (a malformed entry). */
export function decodeStreamEntry<TPayload>(fields: string[]): DurableEvent<TPayload> | undefined {
  const record = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) record.set(fields[index] as string, fields[index + 1] as string);
  const id = record.get('id');
  const type = record.get('type');
  const payload = record.get('payload');
  if (!id || !type || payload === undefined) return undefined;
  try {
    return { id, type, version: Number(record.get('version') ?? 1), payload: JSON.parse(payload) as TPayload, publishedAt: record.get('publishedAt') ?? '' };
  } catch {
    return undefined;
  }
}
