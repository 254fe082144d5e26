import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { foldWords } from '../../lib/text-folding.js';
import { createRandom, type Random } from '../../lib/seeded-random.js';
import { demoCorpusDir } from '../../scripts/seed-documents.js';
import { withLexical } from '../../subgraphs/search/lexical/chunk-lexical.js';
import { chunkPointId } from '../../subgraphs/search/point-id.js';
import type { ChunkPoint, ChunkStore } from '../../subgraphs/search/store/chunk-store.js';

/** The words of the demo corpus: synthetic passages share the real documents' vocabulary and its frequencies. */
const vocabulary = readdirSync(demoCorpusDir).flatMap((file) => foldWords(readFileSync(join(demoCorpusDir, file), 'utf8')));
const layers = ['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION'];
const entityTypes = ['DISEASE', 'TREATMENT', 'SYMPTOM', 'TEST', 'DRUG'];

/** The document of bulk chunk point `index`: 1,000 documents, `bench-doc-0` to `bench-doc-999`. */
export const benchDocumentId = (index: number): string => `bench-doc-${index % 1000}`;

/**
 * Upserts bulk chunk points `from` to `total - 1` (synthetic unit vectors, passages of words drawn
 * from the demo corpus, seeded so runs are comparable), 1,000 a request. A point names up to two of
 * `entityIds` (none when the list is empty).
 */
export async function fillChunkPoints(chunks: ChunkStore, options: { from: number; total: number; dimension: number; entityIds?: readonly string[] }): Promise<void> {
  const { from, total, dimension, entityIds = [] } = options;
  const started = performance.now();
  const random = createRandom(42 + from);
  const batch: ChunkPoint[] = [];
  for (let index = from; index < total; index += 1) {
    const documentId = benchDocumentId(index);
    const chunkIndex = Math.floor(index / 1000);
    const types = entityTypes.filter(() => random.next() < 0.3);
    batch.push(withLexical({
      id: chunkPointId(documentId, chunkIndex),
      vector: createUnitVector(random, dimension),
      payload: {
        document_title: `${random.pick(vocabulary)} ${random.pick(vocabulary)} data agreement ${index % 1000}`,
        document_id: documentId,
        chunk_index: chunkIndex,
        chunk_text: Array.from({ length: random.int(40, 140) }, () => random.pick(vocabulary)).join(' '),
        headings: [],
        layer: layers[index % layers.length] as string,
        quality_score: Math.round(random.next() * 1000) / 1000,
        entity_ids: entityIds.length === 0 ? [] : random.sample(entityIds, random.int(0, 2)),
        entity_types: types,
        content_hash: '',
        created_at: new Date().toISOString(),
      },
    }));
    if (batch.length === 1000 || index === total - 1) {
      await chunks.upsert(batch.splice(0), 1000);
      if ((index + 1) % 10_000 === 0) console.log(`bench: ${index + 1} points upserted (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  console.log(`bench: upserted ${total - from} points in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** A seeded random direction of unit length. */
export function createUnitVector(random: Random, dimension: number): number[] {
  const vector = Array.from({ length: dimension }, () => random.next() * 2 - 1);
  const length = Math.hypot(...vector);
  return vector.map((value) => value / length);
}
