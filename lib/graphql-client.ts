/** A GraphQL error as a server returns it. */
export interface GraphQLErrorBody {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLResponse<TData> {
  status: number;
  data?: TData | null;
  errors?: GraphQLErrorBody[];
  /** The Retry-After header in seconds, when the server sent one (429, 503). */
  retryAfterSeconds?: number;
}

/** One GraphQL request over HTTP; returns status, data and errors without throwing on GraphQL errors. */
export async function postGraphQL<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  let body: { data?: TData | null; errors?: GraphQLErrorBody[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { errors: [{ message: `non-JSON response (HTTP ${response.status}): ${text.slice(0, 200)}` }] };
  }
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  return { status: response.status, data: body.data, errors: body.errors, ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}) };
}

export interface RequestOptions {
  token?: string;
  timeoutMs?: number;
  /**
   * When given, a request refused by a rate limit (429 with Retry-After) is told here and sent again
   * once the window has passed. A refused request did nothing, so this is safe for mutations too.
   */
  onRateLimited?: (retryAfterSeconds: number) => void;
}

/** Like postGraphQL, but any error (HTTP or GraphQL) throws with the server's messages. */
export async function requestGraphQL<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<TData> {
  for (;;) {
    const result = await postGraphQL<TData>(url, query, variables, options);
    const waitSeconds = result.status === 429 ? result.retryAfterSeconds : undefined;
    if (options.onRateLimited && waitSeconds !== undefined) {
      options.onRateLimited(waitSeconds);
      await new Promise((resolveLater) => setTimeout(resolveLater, waitSeconds * 1000));
      continue;
    }
    if (result.errors?.length || !result.data) {
      const messages = result.errors?.map((error) => `${error.message} [${String(error.extensions?.code ?? '')}]`).join('; ');
      throw new Error(`GraphQL request failed (HTTP ${result.status}): ${messages ?? 'no data'}`);
    }
    return result.data;
  }
}

/** A GraphQL endpoint as a function of query and variables (requestGraphQL's errors). */
export type GraphQLCaller = <TData>(query: string, variables?: Record<string, unknown>) => Promise<TData>;

/**
 * The caller a script seeding through the public API uses: its requests as `token`, and when a rate
 * limit refuses one, a line to `log` and the same request again once the window has passed.
 */
export function createSeedingCaller(url: string, token: string, log: (line: string) => void): GraphQLCaller {
  return (query, variables = {}) => requestGraphQL(url, query, variables, { token, onRateLimited: (seconds) => log(`rate limit reached: waiting ${seconds} s`) });
}
