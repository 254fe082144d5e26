import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../lib/auth.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { seedDocuments } from '../../scripts/seed-documents.js';
import { createTestConfig, startSearchEnv, type SearchEnv } from './support/search-env.js';

const corpusDir = join(import.meta.dirname, '../../docs/corpus/dda');
const config = createTestConfig();
const run = randomUUID().slice(0, 8);
let search: SearchEnv;
let operations: ServiceHandle;
let dir: string;

beforeAll(async () => {
  // Unique file names: the documents table is shared, and the seed skips names it already has.
  dir = mkdtempSync(join(tmpdir(), 'seed-documents-'));
  for (const file of ['lupus_management_dda.md', 'crohns_disease_dda.md']) copyFileSync(join(corpusDir, file), join(dir, `e2e-${run}-${file}`));
  search = await startSearchEnv(config);
  operations = await startOperations(config, 0);
});

afterAll(async () => {
  await operations?.stop();
  await search?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run seed:documents', () => {
  it('ingests through ingestDocument on the operations subgraph, and a second run adds nothing', async () => {
    const token = await signDevToken(config.auth, { sub: 'seed-test', role: 'service' });
    const first = await seedDocuments({ url: operations.url, token, dir, timeoutMs: 120_000 });
    expect(first.failed).toEqual([]);
    expect(first.ingested.map((row) => [row.filename, row.status]).sort()).toEqual([
      [`e2e-${run}-crohns_disease_dda.md`, 'COMPLETED'],
      [`e2e-${run}-lupus_management_dda.md`, 'COMPLETED'],
    ]);
    expect(first.ingested.every((row) => row.chunkCount > 5)).toBe(true);

    const { data } = await search.graphql<{ semanticSearch: { chunk: { document: { id: string } } }[] }>(
      'query($text: String!) { semanticSearch(text: $text, k: 1) { chunk { document { id } } } }',
      { text: "How is Crohn's disease activity scored with the Harvey-Bradshaw index?" },
    );
    const crohns = first.ingested.find((row) => row.filename.endsWith('crohns_disease_dda.md'));
    expect(data?.semanticSearch.map((hit) => hit.chunk.document.id)).toEqual([crohns?.id]);

    const second = await seedDocuments({ url: operations.url, token, dir });
    expect([second.ingested.length, second.skipped]).toEqual([0, 2]);
  });
});
