import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { signDevToken } from '../../lib/auth.js';
import { loadConfig } from '../../lib/config.js';
import { requestGraphQL } from '../../lib/graphql-client.js';
import { percentile } from '../../lib/percentile.js';

/**
 * Search quality over the labelled sets beside this file, through a running system's gateway
 * (`npm start`): entity search (entity-queries.json, the expected entity first) and passage
 * search (passage-questions.json, a passage of the expected document first). Prints top-1,
 * top-3 and MRR (over the first 10) overall and per kind, latency p50/p95, and every miss.
 *
 *   npm run eval:search [-- --url http://127.0.0.1:4000/graphql] [--json]
 */
const { values: flags } = parseArgs({ options: { url: { type: 'string' }, json: { type: 'boolean', default: false } } });
const config = loadConfig();
const url = flags.url ?? `http://127.0.0.1:${config.ports.gateway}/graphql`;
const depth = 10;

const entitySet = z.object({
  queries: z.array(z.object({ query: z.string(), expected: z.string(), kind: z.string(), types: z.array(z.string()).optional() })),
});
const passageSet = z.object({
  questions: z.array(z.object({ question: z.string(), document: z.string(), also: z.array(z.string()).optional(), kind: z.string() })),
});
const readSet = <T>(file: string, schema: z.ZodType<T>): T => schema.parse(JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')));

interface Outcome {
  kind: string;
  query: string;
  expected: string;
  /** 1-based rank of the first right answer; null when not in the first `depth`. */
  rank: number | null;
  got: string | undefined;
  ms: number;
}

const token = await signDevToken(config.auth, { sub: 'eval-search', role: 'clinician' }, '1h');
const call = <T>(query: string, variables: Record<string, unknown>) => requestGraphQL<T>(url, query, variables, { token });

await call('{ layerStats { layer } }', {}).catch((error: unknown) => {
  console.error(`eval: no gateway answers at ${url} (${error instanceof Error ? error.message : String(error)}); start the system first: npm start`);
  process.exit(2);
});

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

async function evaluateEntities(): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const { query, expected, kind, types } of readSet('./entity-queries.json', entitySet).queries) {
    const { value, ms } = await timed(() =>
      call<{ searchEntities: { id: string }[] }>('query($text: String!, $types: [EntityType!]) { searchEntities(text: $text, types: $types, first: 10) { id } }', { text: query, types: types ?? null }),
    );
    const ids = value.searchEntities.map((hit) => hit.id);
    const position = ids.indexOf(expected);
    outcomes.push({ kind, query, expected, rank: position < 0 ? null : position + 1, got: ids[0], ms });
  }
  return outcomes;
}

async function documentFilenames(): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let after: string | null = null; ; ) {
    const { documents }: { documents: { edges: { cursor: string; node: { id: string; filename: string } }[]; pageInfo: { hasNextPage: boolean } } } = await call(
      'query($after: String) { documents(first: 100, after: $after) { edges { cursor node { id filename } } pageInfo { hasNextPage } } }',
      { after },
    );
    for (const { node } of documents.edges) names.set(node.id, node.filename);
    if (!documents.pageInfo.hasNextPage) return names;
    after = documents.edges.at(-1)?.cursor ?? null;
  }
}

async function evaluatePassages(): Promise<Outcome[]> {
  const filenames = await documentFilenames();
  const outcomes: Outcome[] = [];
  for (const { question, document, also = [], kind } of readSet('./passage-questions.json', passageSet).questions) {
    const right = new Set([document, ...also]);
    const { value, ms } = await timed(() =>
      call<{ semanticSearch: { chunk: { document: { id: string } } }[] }>('query($text: String!) { semanticSearch(text: $text, k: 10) { chunk { document { id } } } }', { text: question }),
    );
    const files = value.semanticSearch.map((hit) => filenames.get(hit.chunk.document.id) ?? `unknown document ${hit.chunk.document.id}`);
    const position = files.findIndex((file) => right.has(file));
    outcomes.push({ kind, query: question, expected: document, rank: position < 0 ? null : position + 1, got: files[0], ms });
  }
  return outcomes;
}

function summarise(outcomes: readonly Outcome[]) {
  const share = (test: (outcome: Outcome) => boolean) => outcomes.filter(test).length / outcomes.length;
  const latencies = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
  return {
    queries: outcomes.length,
    top1: share((outcome) => outcome.rank === 1),
    top3: share((outcome) => outcome.rank !== null && outcome.rank <= 3),
    mrr: outcomes.reduce((sum, outcome) => sum + (outcome.rank === null ? 0 : 1 / outcome.rank), 0) / outcomes.length,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
  };
}

function report(title: string, outcomes: readonly Outcome[]): void {
  const figures = (summary: ReturnType<typeof summarise>) =>
    `top-1 ${summary.top1.toFixed(3)}  top-3 ${summary.top3.toFixed(3)}  MRR ${summary.mrr.toFixed(3)}`;
  const overall = summarise(outcomes);
  console.log(`\n${title}: ${overall.queries} queries  ${figures(overall)}  latency p50 ${overall.p50Ms.toFixed(1)} ms  p95 ${overall.p95Ms.toFixed(1)} ms`);
  for (const kind of [...new Set(outcomes.map((outcome) => outcome.kind))]) {
    const ofKind = outcomes.filter((outcome) => outcome.kind === kind);
    console.log(`  ${kind.padEnd(18)} ${String(ofKind.length).padStart(3)}  ${figures(summarise(ofKind))}`);
  }
  const misses = outcomes.filter((outcome) => outcome.rank !== 1);
  if (misses.length > 0) console.log(`  not first (${misses.length}):`);
  for (const miss of misses) console.log(`    [${miss.kind}] "${miss.query}": expected ${miss.expected} at ${miss.rank ?? `>${depth}`}, first was ${miss.got ?? 'nothing'}`);
}

// one warm-up request of each kind: connections and the query plan cache
await call('query { searchEntities(text: "warm up", first: 1) { id } semanticSearch(text: "warm up", k: 1) { score } }', {});
const entities = await evaluateEntities();
const passages = await evaluatePassages();
if (flags.json) {
  console.log(JSON.stringify({ url, entitySearch: { ...summarise(entities), outcomes: entities }, passageSearch: { ...summarise(passages), outcomes: passages } }, null, 2));
} else {
  console.log(`search evaluation through ${url}`);
  report('entity search', entities);
  report('passage search', passages);
}
