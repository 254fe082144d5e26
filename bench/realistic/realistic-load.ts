import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../../lib/percentile.js';
import { createRandom } from '../../lib/seeded-random.js';
import { vocabulary } from '../operations/dataset.js';
import { crossStoreQuery } from '../gateway/cross-store.js';
import type { Post } from '../gateway/load.js';
import type { Caller, Step } from './traffic.js';

/** What one measured window saw: the latencies of the requests started and answered inside it. */
export interface RealisticSample {
  /** Latencies in ms, every request and the reads alone, in the order they were answered. */
  latencies: number[];
  readLatencies: number[];
  writes: number;
  errors: number;
  durationMs: number;
}

export interface RealisticResult {
  requests: number;
  reads: number;
  writes: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** p95 of the reads alone (the cross-store query). */
  readP95: number;
}

/** One gateway's figures over its windows (the rounds of a run), as if they were one window. */
export function summarize(samples: readonly RealisticSample[]): RealisticResult {
  const latencies = samples.flatMap((sample) => sample.latencies).sort((a, b) => a - b);
  const readLatencies = samples.flatMap((sample) => sample.readLatencies).sort((a, b) => a - b);
  const durationMs = samples.reduce((sum, sample) => sum + sample.durationMs, 0);
  return {
    requests: latencies.length,
    reads: readLatencies.length,
    writes: samples.reduce((sum, sample) => sum + sample.writes, 0),
    errors: samples.reduce((sum, sample) => sum + sample.errors, 0),
    rps: durationMs > 0 ? latencies.length / (durationMs / 1000) : 0,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    readP95: percentile(readLatencies, 95),
  };
}

const postMessage = 'mutation Post($input: PostMessageInput!) { postMessage(input: $input) { id } }';
const submitFeedback = 'mutation Rate($input: FeedbackInput!) { submitFeedback(input: $input) { id } }';

/** The GraphQL request a step sends. `serial` makes each posted message's text new. */
export function requestBody(step: Step, serial: number, mention: string): string {
  switch (step.kind) {
    case 'read':
      return JSON.stringify({ query: crossStoreQuery, variables: { id: step.session.id } });
    case 'postMessage': {
      const words = Array.from({ length: 12 }, (_, index) => vocabulary[(serial * 7 + index * 13) % vocabulary.length]);
      const content = `${words.join(' ')} (note ${serial})`;
      return JSON.stringify({ query: postMessage, variables: { input: { sessionId: step.session.id, role: 'USER', content, mentions: [mention] } } });
    }
    case 'submitFeedback':
      return JSON.stringify({
        query: submitFeedback,
        variables: { input: { responseId: step.responseId, sessionId: step.session.id, rating: 1 + (serial % 5), feedbackType: serial % 2 === 0 ? 'HELPFUL' : 'UNHELPFUL' } },
      });
  }
}

export interface LoadOptions {
  clients: number;
  warmupMs: number;
  durationMs: number;
  /** Client `index`'s steps. */
  steps(index: number): Generator<Step>;
  authorization(caller: Caller): string;
  /** An entity id posted messages mention. */
  mention: string;
  /**
   * Mean pause of a client between an answer and its next request (exponentially distributed, as
   * a person reading the answer): 0 sends at once, which measures the most the system serves.
   */
  thinkMs: number;
  /** Where the posted texts' serial numbers start: each gateway posts texts no other posted (no vector or passages of them are remembered). */
  firstSerial: number;
  /** Called when measuring starts and when it ends, by the clock (CPU and cache readings). */
  onMeasureStart(): void;
  onMeasureEnd(): void;
}

/**
 * `clients` closed-loop clients (each sends its next request when the last is answered and it has thought), all on
 * one keep-alive pool, each request with its caller's token. Only requests started after the
 * warm-up and answered before the end are measured.
 */
export async function runRealisticLoad(url: string, post: Post, options: LoadOptions): Promise<RealisticSample> {
  const latencies: number[] = [];
  const readLatencies: number[] = [];
  let writes = 0;
  let errors = 0;
  let firstError: unknown;
  let serial = options.firstSerial;
  const measureFrom = performance.now() + options.warmupMs;
  const measureUntil = measureFrom + options.durationMs;
  let measuring = false;
  const startTimer = setTimeout(() => {
    measuring = true;
    options.onMeasureStart();
  }, options.warmupMs);
  const endTimer = setTimeout(() => options.onMeasureEnd(), options.warmupMs + options.durationMs);

  const client = async (index: number) => {
    const steps = options.steps(index);
    const random = createRandom(1000 + index);
    const think = () => (options.thinkMs > 0 ? sleep(-Math.log(1 - random.next()) * options.thinkMs) : undefined);
    while (performance.now() < measureUntil) {
      const step = steps.next().value as Step;
      const started = performance.now();
      serial += 1;
      try {
        await post(url, requestBody(step, serial, options.mention), { authorization: options.authorization(step.caller) });
        const ended = performance.now();
        // warm-up requests think too: skipping the pause would run the warm-up as a flood
        if (started >= measureFrom && ended <= measureUntil) {
          latencies.push(ended - started);
          if (step.kind === 'read') readLatencies.push(ended - started);
          else writes += 1;
        }
      } catch (error) {
        if (measuring) errors += 1;
        firstError ??= error;
      }
      await think();
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  if (firstError) console.error(`  first error: ${(firstError as Error).message}`);
  return { latencies, readLatencies, writes, errors, durationMs: options.durationMs };
}
