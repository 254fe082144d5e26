import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signDevToken } from '../lib/auth.js';
import { loadConfig } from '../lib/config.js';
import { createSeedingCaller, type GraphQLCaller } from '../lib/graphql-client.js';

/** The 20 demo documents the project ships (docs/corpus: MIT, source and licence beside them). */
export const demoCorpusDir = join(import.meta.dirname, '..', 'docs', 'corpus', 'dda');

/**
 * The demo corpus (docs/corpus/dda, 20 markdown documents; licence and source beside them) ingested through the public API,
 * as any client would: `ingestDocument` on the gateway (or the operations subgraph), which hands
 * each document to the search subgraph by event. A file whose document already exists and is not
 * FAILED is left alone, so a second run adds nothing.
 *
 *   npm run seed:documents -- [--url http://127.0.0.1:4000/graphql] [--dir docs/corpus/dda] [--no-wait]
 */
export interface SeedDocumentsOptions {
  /** GraphQL endpoint: the gateway, or the operations subgraph directly. */
  url: string;
  /** A token with role `service` or `admin`. */
  token: string;
  dir: string;
  /** Wait until every document is COMPLETED or FAILED; default true. */
  wait?: boolean;
  /** How long to wait in all; default 10 minutes. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

interface DocumentRow {
  id: string;
  filename: string;
  status: string;
  chunkCount: number;
}

export async function seedDocuments(options: SeedDocumentsOptions): Promise<{ ingested: DocumentRow[]; skipped: number; failed: DocumentRow[] }> {
  const { url, token, log = () => undefined } = options;
  const call = createSeedingCaller(url, token, log);
  const existing = new Map((await listDocuments(call)).map((document) => [document.filename, document]));
  const files = readdirSync(options.dir).filter((file) => file.endsWith('.md')).sort();
  const submitted: DocumentRow[] = [];
  let skipped = 0;
  for (const file of files) {
    const known = existing.get(file);
    if (known && known.status !== 'FAILED') {
      skipped += 1;
      continue;
    }
    const content = readFileSync(join(options.dir, file), 'utf8');
    const title = /^#\s+(.+)$/m.exec(content)?.[1]?.replace(/^Data Delivery Agreement \(DDA\) - /, '') ?? null;
    const { ingestDocument } = await call<{ ingestDocument: DocumentRow }>(
      'mutation($input: IngestDocumentInput!) { ingestDocument(input: $input) { id filename status chunkCount } }',
      { input: { filename: file, title, content, source: 'shared/corpus/dda' } },
    );
    log(`submitted ${file} as ${ingestDocument.id}`);
    submitted.push(ingestDocument);
  }
  if (options.wait === false) return { ingested: submitted, skipped, failed: [] };

  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let pending = submitted;
  const done: DocumentRow[] = [];
  while (pending.length > 0) {
    if (Date.now() > deadline) throw new Error(`still not ingested after the timeout: ${pending.map((row) => row.filename).join(', ')}`);
    await new Promise((resolveLater) => setTimeout(resolveLater, 500));
    const rows = await readDocuments(call, pending);
    for (const row of rows.filter((candidate) => candidate.status === 'COMPLETED' || candidate.status === 'FAILED')) {
      log(`${row.filename}: ${row.status}, ${row.chunkCount} chunks`);
      done.push(row);
    }
    pending = rows.filter((row) => row.status !== 'COMPLETED' && row.status !== 'FAILED');
  }
  return { ingested: done, skipped, failed: done.filter((row) => row.status === 'FAILED') };
}

const documentsPerRequest = 25;

/** The documents' rows now, a request per 25 (aliases stay under the API's QUERY_MAX_ALIASES default); one no longer there keeps its old row. */
async function readDocuments(call: GraphQLCaller, documents: readonly DocumentRow[]): Promise<DocumentRow[]> {
  const rows: DocumentRow[] = [];
  for (let start = 0; start < documents.length; start += documentsPerRequest) {
    const slice = documents.slice(start, start + documentsPerRequest);
    const parameters = slice.map((_, index) => `$id${index}: ID!`).join(', ');
    const fields = slice.map((_, index) => `d${index}: document(id: $id${index}) { id filename status chunkCount }`).join(' ');
    const answer = await call<Record<string, DocumentRow | null>>(`query(${parameters}) { ${fields} }`, Object.fromEntries(slice.map((row, index) => [`id${index}`, row.id])));
    rows.push(...slice.map((row, index) => answer[`d${index}`] ?? row));
  }
  return rows;
}

async function listDocuments(call: GraphQLCaller): Promise<DocumentRow[]> {
  const rows: DocumentRow[] = [];
  let after: string | null = null;
  for (;;) {
    const { documents }: { documents: { edges: { node: DocumentRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await call(
      'query($after: String) { documents(first: 100, after: $after) { edges { node { id filename status chunkCount } } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    rows.push(...documents.edges.map((edge) => edge.node));
    if (!documents.pageInfo.hasNextPage) return rows;
    after = documents.pageInfo.endCursor;
  }
}

function readFlag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const config = loadConfig();
  const url = readFlag('url') ?? `http://127.0.0.1:${config.ports.gateway}/graphql`;
  const dir = resolve(readFlag('dir') ?? demoCorpusDir);
  const token = await signDevToken(config.auth, { sub: 'seed-documents', role: 'service' });
  const result = await seedDocuments({ url, token, dir, wait: !process.argv.includes('--no-wait'), log: (line) => console.log(line) });
  console.log(`seed:documents: ${result.ingested.length} ingested, ${result.skipped} already there, ${result.failed.length} failed (${basename(dir)} via ${url})`);
  if (result.failed.length > 0) process.exitCode = 1;
}
