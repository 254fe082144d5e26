import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { batchOperationsHeader } from '../lib/batch-operations.js';

interface Waiting {
  init: FetcherRequestInit;
  body: string;
  resolve: (response: FetcherResponse) => void;
  reject: (error: unknown) => void;
}

function header(init: FetcherRequestInit, name: string): string {
  return (init.headers as Record<string, string> | undefined)?.[name] ?? '';
}

type Refusal = { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined;

/**
 * A batch refused as a bad request (http-fetcher hands a subgraph's GraphQL answers to 4xx on as
 * 200): one the subgraph cannot take as a batch (too many operations for its own limit, too large
 * a body), which each operation alone may pass.
 */
const refusedAsBadRequest = (answer: unknown) => (answer as Refusal)?.errors?.[0]?.extensions?.code === 'BAD_REQUEST';
/** Apollo Server's answer when batching is off (a subgraph of an older version). */
const refusedBatching = (answer: unknown) => (answer as Refusal)?.errors?.[0]?.message === 'Operation batching disabled.';

/** One operation's answer cut from a batch's array, shaped like the batch's own response. */
function answerOf(batch: FetcherResponse, answer: unknown): FetcherResponse {
  const response: FetcherResponse = {
    ...batch,
    bodyUsed: false,
    text: async () => JSON.stringify(answer),
    json: async () => answer,
    arrayBuffer: async () => new TextEncoder().encode(JSON.stringify(answer)).buffer as ArrayBuffer,
    clone: () => response,
  };
  return response;
}

/**
 * Fetches to one subgraph that one gateway request starts in the same turn of the event loop
 * (the parallel fetches of a query plan, e.g. a patient's allergies and the messages' entities,
 * both from knowledge) go out as one HTTP request: a JSON array of operations, answered with an
 * array in the same order (Apollo Server's batching; the `x-graphql-operations` header says how
 * many, so the subgraph charges its rate limit for each before reading the body). One exchange,
 * one admission and one request context instead of several; each caller still gets its own answer.
 *
 * Only fetches with the same URL, Authorization and request id are joined, at most `maxOperations`
 * and `maxBytes` of body at once (the subgraph's body limit: operations that fit alone still fit).
 * An answer that is not such an array (a refusal of the whole request: 401, 429, 503) is every
 * caller's answer. A batch refused as a bad request is sent again one operation at a time; a
 * subgraph that does not take batches at all (an older version) gets each operation on its own
 * from then on.
 */
export function batchConcurrentFetches(fetcher: Fetcher, options: { maxOperations: number; maxBytes: number; onBatch?: (operations: number) => void }): Fetcher {
  const waiting = new Map<string, { url: string; operations: Waiting[] }>();
  const refusesBatches = new Set<string>();
  let flushScheduled = false;

  const sendAlone = (url: string, operation: Waiting) => fetcher(url, operation.init).then(operation.resolve, operation.reject);

  async function sendBatch(url: string, operations: Waiting[]): Promise<void> {
    const first = operations[0] as Waiting;
    const init = { ...first.init, headers: { ...(first.init.headers as Record<string, string>), [batchOperationsHeader]: String(operations.length) }, body: `[${operations.map((operation) => operation.body).join(',')}]` };
    options.onBatch?.(operations.length);
    let response: FetcherResponse;
    try {
      response = await fetcher(url, init);
    } catch (error) {
      for (const operation of operations) operation.reject(error);
      return;
    }
    let answers: unknown;
    try {
      answers = await response.json();
    } catch {
      answers = undefined;
    }
    if (Array.isArray(answers) && answers.length === operations.length) {
      operations.forEach((operation, index) => operation.resolve(answerOf(response, answers[index])));
      return;
    }
    if (response.status === 400 || refusedAsBadRequest(answers)) {
      if (response.status === 400 || refusedBatching(answers)) refusesBatches.add(url);
      for (const operation of operations) void sendAlone(url, operation);
      return;
    }
    for (const operation of operations) operation.resolve(response);
  }

  /** Consecutive operations, as many as a batch may hold in number and in bytes. */
  function chunksOf(operations: Waiting[]): Waiting[][] {
    const chunks: Waiting[][] = [];
    let chunk: Waiting[] = [];
    let bytes = 2;
    for (const operation of operations) {
      const size = Buffer.byteLength(operation.body) + 1;
      if (chunk.length > 0 && (chunk.length === options.maxOperations || bytes + size > options.maxBytes)) {
        chunks.push(chunk);
        chunk = [];
        bytes = 2;
      }
      chunk.push(operation);
      bytes += size;
    }
    if (chunk.length > 0) chunks.push(chunk);
    return chunks;
  }

  function flush(): void {
    flushScheduled = false;
    const groups = [...waiting.values()];
    waiting.clear();
    for (const { url, operations } of groups) {
      for (const chunk of chunksOf(operations)) {
        if (chunk.length === 1) void sendAlone(url, chunk[0] as Waiting);
        else void sendBatch(url, chunk);
      }
    }
  }

  return (url, init = {}) => {
    const body = init.body;
    if (options.maxOperations < 2 || (init.method ?? 'GET') !== 'POST' || typeof body !== 'string' || !body.startsWith('{') || refusesBatches.has(url)) return fetcher(url, init);
    const key = `${url}\n${header(init, 'authorization')}\n${header(init, 'x-request-id')}`;
    return new Promise<FetcherResponse>((resolve, reject) => {
      const group = waiting.get(key) ?? { url, operations: [] };
      group.operations.push({ init, body, resolve, reject });
      waiting.set(key, group);
      if (!flushScheduled) {
        flushScheduled = true;
        // after the microtasks of this turn: a plan's parallel fetches are all started by then
        setImmediate(flush);
      }
    });
  };
}
