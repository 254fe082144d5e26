import { randomUUID } from 'node:crypto';
import { GraphQLError, type FormattedExecutionResult } from 'graphql';
import type { Viewer } from '../../lib/auth.js';
import { AppError, notFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { GatewayMetrics } from '../metrics.js';
import type { IdentitySlots } from './identity-slots.js';
import { compareEntryIds, type SessionEvent, type SessionEventFeed } from './session-event-feed.js';
import type { OperationRequest, SubscriptionPlan } from './subscription-plan.js';

/**
 * Serves planned subscriptions (subscription-plan.ts) from the session event feed: checks the
 * subscriber may read what it follows, takes a slot of its identity, then resolves each event of
 * its topic through the supergraph as the subscriber (the permission rules run for every event)
 * and hands the results on in stream order. Subscribers with the same token, operation and
 * variables share one resolution of each event.
 */

export interface Subscriber {
  viewer: Viewer;
  /** The `Authorization` value the subscriber presented: every event is resolved with it. */
  authorization: string;
}

/** Runs one operation through the gateway as `subscriber`; `fresh`: never from or into the response cache. */
export type RunOperation = (request: OperationRequest, subscriber: Subscriber, options: { fresh: boolean }) => Promise<FormattedExecutionResult>;

/** A result for the subscriber; `eventId` is the stream entry it answers (Last-Event-ID). */
export interface SubscriptionResult {
  eventId: string | undefined;
  result: FormattedExecutionResult;
}

/** A subscription's results in stream order; `return()` ends it (and frees its slot) at any time. */
export interface LiveSubscription extends AsyncIterableIterator<SubscriptionResult, undefined> {
  return(): Promise<IteratorReturnResult<undefined>>;
}

export interface SubscriptionService {
  /**
   * Starts a subscription: refused (a GraphQLError is thrown) before anything is sent when the
   * subscriber may not follow it, holds its limit, or asks to replay what is no longer kept.
   * With `lastEventId`, the events after it are sent first.
   */
  open(subscriber: Subscriber, plan: SubscriptionPlan, options: { lastEventId?: string | undefined; transport: 'ws' | 'sse' }): Promise<LiveSubscription>;
  stop(): Promise<void>;
}

/** The check a subscription passes when it starts: the subgraph that owns the records answers with its permission rules. */
const startChecks = {
  messageAdded: { query: 'query SubscriptionCheck($id: ID!) { session(id: $id) { id } }', found: (data: Record<string, unknown>) => data.session !== null, what: 'Session' },
  sessionUpdated: { query: 'query SubscriptionCheck($id: ID!) { sessions(patientId: $id, first: 0) { pageInfo { hasNextPage } } }', found: () => true, what: 'Patient' },
} as const;

const endingCodes = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

/** How many results may wait for a slow subscriber before its subscription is ended. */
const maxWaiting = 500;

interface Delivery {
  result?: SubscriptionResult;
  /** The subscription ends after this one. */
  last: boolean;
}

const asGraphQLError = (error: NonNullable<FormattedExecutionResult['errors']>[number]) => new GraphQLError(error.message, { extensions: error.extensions ?? {} });

export function createSubscriptionService(deps: {
  feed: SessionEventFeed;
  slots: IdentitySlots;
  run: RunOperation;
  metrics: GatewayMetrics;
  logger: Logger;
  perGateway: number;
  replayLimit: number;
}): SubscriptionService {
  const { feed, slots, run, metrics } = deps;
  let active = 0;
  const shared = new Map<string, Promise<FormattedExecutionResult>>();

  /** One resolution of an event per token, operation and variables, however many subscribers share them. */
  function resolveEvent(subscriber: Subscriber, plan: SubscriptionPlan, event: SessionEvent): Promise<FormattedExecutionResult> {
    const variables = { ...plan.variables, [plan.recordVariable]: event.recordId };
    const key = JSON.stringify([event.entryId, subscriber.authorization, plan.eventQuery, plan.operationName, variables]);
    const known = shared.get(key);
    if (known) return known;
    const running = run({ query: plan.eventQuery, variables, operationName: plan.operationName }, subscriber, { fresh: true }).finally(() => shared.delete(key));
    shared.set(key, running);
    return running;
  }

  async function deliveryOf(subscriber: Subscriber, plan: SubscriptionPlan, event: SessionEvent): Promise<Delivery> {
    let result: FormattedExecutionResult;
    try {
      result = await resolveEvent(subscriber, plan, event);
    } catch (error) {
      deps.logger.error({ err: error, field: plan.field }, 'a subscription event could not be resolved');
      result = { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
    }
    const ends = result.errors?.some((error) => endingCodes.has(String(error.extensions?.code))) ?? false;
    if (!ends && !result.errors?.length && (result.data?.[plan.responseKey] ?? null) === null) {
      metrics.subscriptionEvents.inc({ outcome: 'skipped' });
      return { last: false };
    }
    metrics.subscriptionEvents.inc({ outcome: ends ? 'ended' : 'sent' });
    metrics.subscriptionDelivery.observe(Math.max(0, Date.now() - Number(event.entryId.split('-')[0])) / 1000);
    return { result: { eventId: event.entryId, result: { ...result, extensions: { ...result.extensions, eventId: event.entryId } } }, last: ends };
  }

  async function checkStart(subscriber: Subscriber, plan: SubscriptionPlan): Promise<void> {
    const check = startChecks[plan.field];
    const answer = await run({ query: check.query, variables: { id: plan.subjectId }, operationName: 'SubscriptionCheck' }, subscriber, { fresh: true });
    const [error] = answer.errors ?? [];
    if (error) throw asGraphQLError(error);
    if (!answer.data || !check.found(answer.data)) throw notFound(check.what, plan.subjectId);
  }

  return {
    async open(subscriber, plan, options) {
      if (active >= deps.perGateway) throw new AppError('UNAVAILABLE', 'This gateway serves as many subscriptions as it may: subscribe again in a moment (another replica may take it)');
      await checkStart(subscriber, plan);
      const subscriptionId = randomUUID();
      await slots.acquire(subscriber.viewer.sub, subscriptionId);
      active += 1;
      metrics.subscriptionsActive.inc({ transport: options.transport });

      const waiting: Promise<Delivery>[] = [];
      let wake: (() => void) | undefined;
      let overflowed = false;
      const push = (delivery: Promise<Delivery>) => {
        if (overflowed) return;
        if (waiting.length >= maxWaiting) {
          overflowed = true;
          const error = new AppError('UNAVAILABLE', `The subscriber fell ${maxWaiting} events behind: subscribe again with the last event id received`);
          waiting.push(Promise.resolve({ result: { eventId: undefined, result: { errors: [{ message: error.message, extensions: error.extensions }] } }, last: true }));
        } else waiting.push(delivery);
        wake?.();
      };
      // live events are taken from now on; while the missed ones are read, they wait
      let heldBack: SessionEvent[] | undefined = options.lastEventId ? [] : undefined;
      const stopListening = feed.listen(plan.topic, (event) => {
        if (heldBack) heldBack.push(event);
        else push(deliveryOf(subscriber, plan, event));
      });
      const release = () => {
        stopListening();
        active -= 1;
        metrics.subscriptionsActive.dec({ transport: options.transport });
        void slots.release(subscriber.viewer.sub, subscriptionId);
      };
      if (options.lastEventId) {
        let missed: SessionEvent[];
        try {
          missed = await feed.replay(plan.topic, options.lastEventId, deps.replayLimit);
        } catch (error) {
          release();
          throw error;
        }
        const lastSent = missed.at(-1)?.entryId ?? options.lastEventId;
        const replayed = new Set(missed.map((event) => event.eventId));
        const live = (heldBack ?? []).filter((event) => compareEntryIds(event.entryId, lastSent) > 0 && !replayed.has(event.eventId));
        heldBack = undefined;
        for (const event of [...missed, ...live]) push(deliveryOf(subscriber, plan, event));
      }

      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        release();
        wake?.();
      };
      const iterator: LiveSubscription = {
        async next() {
          while (!closed) {
            const item = waiting.shift();
            if (!item) {
              await new Promise<void>((resolve) => (wake = resolve));
              wake = undefined;
              continue;
            }
            const delivery = await item;
            if (delivery.last) close();
            if (delivery.result) return { value: delivery.result, done: false };
          }
          return { value: undefined, done: true };
        },
        async return() {
          close();
          return { value: undefined, done: true };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    async stop() {
      slots.stop();
      await feed.stop();
    },
  };
}
