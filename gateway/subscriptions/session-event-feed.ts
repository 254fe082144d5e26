import type { Redis } from 'ioredis';
import { streamName } from '../../lib/event-contracts.js';
import { AppError } from '../../lib/errors.js';
import { decodeStreamEntry } from '../../lib/events.js';
import type { Logger } from '../../lib/logger.js';
import { readEvent } from '../../lib/typed-events.js';
import { eventTopic } from './subscription-plan.js';

/**
 * The operations subgraph's session events (`<prefix>:sessions`) as one gateway replica sees
 * them: every replica reads the whole stream (no consumer group), so any replica can serve any
 * subscriber, and hands each event to the listeners of its topic. The stream keeps its recent
 * entries (lib/event-contracts), from which a reconnecting subscriber is sent what it missed.
 */

export interface SessionEvent {
  /** The producer's id of the event: the same in every copy a retried publish left on the stream. */
  eventId: string;
  /** The stream entry id: what SSE sends as the event id and a client sends back as Last-Event-ID. */
  entryId: string;
  type: 'message.added' | 'session.updated';
  topic: string;
  /** The message's id (message.added) or the session's (session.updated). */
  recordId: string;
}

export type SessionEventListener = (event: SessionEvent) => void;

export interface SessionEventFeed {
  /** Hands `listener` every event of `topic` read from now on; returns what stops it. */
  listen(topic: string, listener: SessionEventListener): () => void;
  /** The events of `topic` after the entry `afterEntryId`, oldest first; refuses when more than `limit` were missed or they are no longer kept. */
  replay(topic: string, afterEntryId: string, limit: number): Promise<SessionEvent[]>;
  stop(): Promise<void>;
}

const entryIdPattern = /^(\d{1,15})-(\d{1,15})$/;
/** Event ids kept to drop repeated copies: far more than a replica reads in the time a relay retries. */
const recentEventsRemembered = 50_000;

/** Orders two stream entry ids (`<ms>-<seq>`). */
export function compareEntryIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

function isEntryId(value: unknown): value is string {
  return typeof value === 'string' && entryIdPattern.test(value);
}

type Entries = [string, string[]][];

export async function startSessionEventFeed(redis: Redis, options: { streamPrefix: string; logger: Logger; blockMs?: number }): Promise<SessionEventFeed> {
  const stream = streamName(options.streamPrefix, 'sessions');
  const blockMs = options.blockMs ?? 1000;
  const listeners = new Map<string, Set<SessionEventListener>>();
  // a blocking read holds its connection: the feed has one of its own
  const connection = redis.duplicate({ connectionName: 'gateway:session-events' });
  const [newest] = (await connection.xrevrange(stream, '+', '-', 'COUNT', 1)) as Entries;
  let lastEntryId = newest?.[0] ?? '0-0';
  let running = true;

  const toSessionEvent = (entryId: string, fields: string[]): SessionEvent | undefined => {
    const raw = decodeStreamEntry<unknown>(fields);
    const event = raw && readEvent('sessions', raw);
    if (!event || 'problem' in event) {
      options.logger.warn({ stream, entryId, problem: event && 'problem' in event ? event.problem : 'malformed entry' }, 'session event skipped');
      return undefined;
    }
    if (event.type !== 'message.added' && event.type !== 'session.updated') return undefined;
    return { eventId: event.id, entryId, type: event.type, ...eventTopic(event) };
  };

  // publishing is at least once (a relay that retries, two that race): a copy of an event seen lately is dropped
  const recentEventIds = new Set<string>();
  const firstCopy = (event: SessionEvent): boolean => {
    if (recentEventIds.has(event.eventId)) return false;
    recentEventIds.add(event.eventId);
    if (recentEventIds.size > recentEventsRemembered) recentEventIds.delete(recentEventIds.values().next().value as string);
    return true;
  };

  async function loop(): Promise<void> {
    while (running) {
      try {
        const read = (await connection.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', stream, lastEntryId)) as [string, Entries][] | null;
        for (const [entryId, fields] of read?.[0]?.[1] ?? []) {
          lastEntryId = entryId;
          const event = toSessionEvent(entryId, fields);
          if (!event || !firstCopy(event)) continue;
          for (const listener of listeners.get(event.topic) ?? []) listener(event);
        }
      } catch (error) {
        if (!running) break;
        options.logger.error({ err: error, stream }, 'reading session events failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
  const done = loop();

  return {
    listen(topic, listener) {
      const set = listeners.get(topic) ?? new Set();
      set.add(listener);
      listeners.set(topic, set);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(topic) === set) listeners.delete(topic);
      };
    },
    async replay(topic, afterEntryId, limit) {
      if (!isEntryId(afterEntryId)) throw new AppError('BAD_USER_INPUT', 'Last-Event-ID is not an event id this gateway sent (`<milliseconds>-<sequence>`)');
      const [oldest] = (await redis.xrange(stream, '-', '+', 'COUNT', 1)) as Entries;
      if (oldest && compareEntryIds(afterEntryId, oldest[0]) < 0) {
        throw new AppError('CONFLICT', `The events after ${afterEntryId} are no longer kept: read the current state and subscribe again`, { reason: 'REPLAY_UNAVAILABLE' });
      }
      // events of other topics are read too: a bounded number of entries, then the client must refetch
      const maxScanned = Math.max(10_000, limit * 20);
      const missed: SessionEvent[] = [];
      const replayedIds = new Set<string>();
      for (let after = afterEntryId, scanned = 0; ; ) {
        const page = (await redis.xrange(stream, `(${after}`, '+', 'COUNT', 1000)) as Entries;
        for (const [entryId, fields] of page) {
          const event = toSessionEvent(entryId, fields);
          if (event?.topic !== topic || replayedIds.has(event.eventId)) continue;
          replayedIds.add(event.eventId);
          missed.push(event);
        }
        scanned += page.length;
        if (missed.length > limit || (page.length === 1000 && scanned >= maxScanned)) {
          throw new AppError('CONFLICT', `More events were missed after ${afterEntryId} than are replayed (${limit}): read the current state and subscribe again`, { reason: 'REPLAY_UNAVAILABLE' });
        }
        if (page.length < 1000) return missed;
        after = (page.at(-1) as [string, string[]])[0];
      }
    },
    async stop() {
      running = false;
      connection.disconnect();
      await done;
    },
  };
}
