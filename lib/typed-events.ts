import type { Redis } from 'ioredis';
import { eventContracts, isEventType, streamName, type EventContract, type EventOf, type EventPayload, type EventType, type StreamKey } from './event-contracts.js';
import { publishEvent, startConsumer, type Consumer, type ConsumerOptions, type DurableEvent } from './events.js';

/** An event about to leave, checked against its contract: what an outbox row holds, too. */
export interface OutgoingEvent {
  eventId: string;
  stream: string;
  type: EventType;
  payload: unknown;
}

/** The event `type` with this id and payload, on its stream under `prefix`; throws when the payload breaks the contract. */
export function defineEvent<T extends EventType>(prefix: string, type: T, eventId: string, payload: EventPayload<T>): OutgoingEvent {
  const contract = eventContracts[type];
  return { eventId, stream: streamName(prefix, contract.stream), type, payload: contract.payload.parse(payload) };
}

/** Publishes an event now (producers without an outbox: search, knowledge, the gateway). */
export function publish<T extends EventType>(redis: Redis, prefix: string, type: T, eventId: string, payload: EventPayload<T>): Promise<string> {
  return publishDefined(redis, defineEvent(prefix, type, eventId, payload));
}

/** Publishes an event defined earlier (an outbox row) in the version of its contract. */
export function publishDefined(redis: Redis, event: OutgoingEvent): Promise<string> {
  const contract: EventContract = eventContracts[event.type];
  return publishEvent(redis, event.stream, { id: event.eventId, type: event.type, version: contract.version, payload: event.payload }, { retain: contract.retain });
}

/** A received event of type T, its payload as its contract says. */
export type Received<T extends EventType> = T extends EventType ? { id: string; type: T; version: number; payload: EventPayload<T>; publishedAt: string } : never;
/** A received event of one of the types carried on stream S. */
export type ReceivedEvent<S extends StreamKey> = Received<EventOf<S>>;

/** Newer than this consumer knows: left pending for a consumer that does (a rolling deploy). */
export class NewerEventVersionError extends Error {}

/** The event as its contract says, or why it is not one: an unknown type on the stream, or a payload that breaks the contract. */
export function readEvent(stream: StreamKey, event: DurableEvent<unknown>): Received<EventType> | { problem: string } {
  if (!isEventType(event.type) || eventContracts[event.type].stream !== stream) return { problem: `no event ${event.type} is carried on ${stream}` };
  const contract = eventContracts[event.type];
  if (event.version > contract.version) throw new NewerEventVersionError(`${event.type} version ${event.version} is newer than this consumer's ${contract.version}`);
  const parsed = contract.payload.safeParse(event.payload);
  if (!parsed.success) return { problem: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
  return { id: event.id, type: event.type, version: event.version, payload: parsed.data, publishedAt: event.publishedAt } as Received<EventType>;
}

/** The transport's options (lib/events), with the stream named by its contract key under `prefix`. */
type ConsumeCommon<S extends StreamKey> = Omit<ConsumerOptions<unknown>, 'stream' | 'handle' | 'handleBatch'> & { prefix: string; stream: S };

export type ConsumeOptions<S extends StreamKey> = ConsumeCommon<S> &
  ({ handle: (event: ReceivedEvent<S>) => Promise<void>; handleBatch?: never } | { handleBatch: (events: ReceivedEvent<S>[]) => Promise<void>; handle?: never });

/**
 * Consumes a stream in a consumer group (lib/events: at least once, a failing handler leaves its
 * entries pending), handing on only events its contracts allow. An event that breaks its contract
 * is logged and acknowledged: it would fail the same way on every retry.
 */
export function consume<S extends StreamKey>(redis: Redis, options: ConsumeOptions<S>): Promise<Consumer> {
  const { prefix, stream, logger, handle, handleBatch, ...transport } = options;
  // readEvent checked the type against the stream: what it returns is one of the stream's events
  const accept = (raw: DurableEvent<unknown>): ReceivedEvent<S>[] => {
    const event = readEvent(stream, raw);
    if (!('problem' in event)) return [event as ReceivedEvent<S>];
    logger.error({ stream: streamName(prefix, stream), eventId: raw.id, type: raw.type, problem: event.problem }, 'event breaks its contract: acknowledged and skipped');
    return [];
  };
  const common = { ...transport, stream: streamName(prefix, stream), logger };
  if (handleBatch) return startConsumer<unknown>(redis, { ...common, handleBatch: (events) => handleBatch(events.flatMap(accept)) });
  return startConsumer<unknown>(redis, {
    ...common,
    handle: async (raw) => {
      for (const event of accept(raw)) await handle(event);
    },
  });
}
