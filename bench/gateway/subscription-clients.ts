import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * Subscription clients as web clients use them (the subscription tests and benchmark): graphql-ws's own client over a WebSocket, and
 * fetch reading a `text/event-stream` (GraphQL over SSE, distinct connections). Each collects
 * what arrives, with the time it arrived.
 */

export interface Received {
  /** performance.now() when it arrived. */
  at: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
  /** SSE: the event id the server gave (Last-Event-ID). */
  id?: string;
}

export interface Subscription {
  received: Received[];
  /** Errors that ended the subscription (WebSocket `error` messages). */
  failures: unknown[];
  /** The server said the operation is complete. */
  completed: boolean;
  /** Nothing more will arrive: completed, failed, or the connection ended. */
  ended: boolean;
  /** Resolves once `count` results have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

async function waitUntil(condition: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What a subscription has received so far, and its view for the caller (live: the arrays and flags keep changing). */
function collector() {
  const state = { received: [] as Received[], failures: [] as unknown[], completed: false, ended: false };
  const waitFor = async (count: number, timeoutMs = 10_000) => {
    await waitUntil(() => state.received.length >= count || state.ended, () => `${count} results (have ${state.received.length}: ${JSON.stringify(state.received).slice(0, 500)}, failures ${JSON.stringify(state.failures)})`, timeoutMs);
    return state.received;
  };
  const view = (close: () => Promise<void>): Subscription => ({
    get received() {
      return state.received;
    },
    get failures() {
      return state.failures;
    },
    get completed() {
      return state.completed;
    },
    get ended() {
      return state.ended;
    },
    waitFor,
    close,
  });
  return { state, view };
}

export interface WebSocketConnection {
  client: Client;
  /** The close event of the socket, once it closed. */
  closed: Promise<{ code: number; reason: string }>;
  subscribe(query: string, variables?: Record<string, unknown>, extensions?: Record<string, unknown>): Subscription;
  dispose(): Promise<void>;
}

/** A graphql-ws connection to `url` (http → ws), the token in the connection_init payload. */
export function connectWebSocket(url: string, token: string | undefined): WebSocketConnection {
  let closedWith: (event: { code: number; reason: string }) => void = () => undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (closedWith = resolve));
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: false,
    retryAttempts: 0,
    // the close is what tests look at (closed); the client would print it too
    onNonLazyError: () => undefined,
    on: { closed: (event) => closedWith({ code: (event as { code: number }).code, reason: String((event as { reason?: string }).reason ?? '') }) },
  });
  return {
    client,
    closed,
    subscribe(query, variables = {}, extensions) {
      const { state, view } = collector();
      const stop = client.subscribe(
        { query, variables, ...(extensions ? { extensions } : {}) },
        {
          next: (result) => state.received.push({ at: performance.now(), ...(result as Omit<Received, 'at'>) }),
          error: (error) => {
            state.failures.push(error);
            state.ended = true;
          },
          complete: () => {
            state.completed = true;
            state.ended = true;
          },
        },
      );
      return view(async () => stop());
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}

export interface EventStream extends Subscription {
  /** The HTTP status, and the JSON body when the server refused before streaming. */
  status: number;
  refusal?: { errors: { message: string; extensions?: Record<string, unknown> }[] };
}

/** POSTs the operation with `Accept: text/event-stream` and reads the events as they come. */
export async function subscribeEventStream(url: string, token: string | undefined, query: string, variables: Record<string, unknown> = {}, lastEventId?: string): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const { state, view } = collector();
  const close = async () => controller.abort();
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    state.ended = true;
    return Object.assign(view(close), { status: response.status, refusal: (await response.json()) as EventStream['refusal'] });
  }
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        buffer += chunk.value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map(block.split('\n').filter((line) => !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()] as const));
          if (fields.get('event') === 'next') state.received.push({ at: performance.now(), ...(JSON.parse(fields.get('data') ?? '{}') as Omit<Received, 'at'>), ...(fields.has('id') ? { id: fields.get('id') as string } : {}) });
          if (fields.get('event') === 'complete') state.completed = true;
        }
      }
    } catch {
      // aborted by close()
    }
    state.ended = true;
  })();
  return Object.assign(view(close), { status: response.status });
}
