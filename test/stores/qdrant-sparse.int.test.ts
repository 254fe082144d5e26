import type { Schemas } from '@qdrant/js-client-rest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useQdrantContract } from './qdrant-contract.js';

const { client, collectionName, api, expectError } = useQdrantContract();

interface Sparse {
  indices: number[];
  values: number[];
}

/**
 * Dense vectors (Dot, so stored as sent) beside two sparse vectors with the same weights: `lexical`
 * scored with IDF, `raw` without. Term 10 is in all sparse vectors but one, 20 and 70 each in one.
 * Point 7 has no sparse vectors. All values are exact in float32, so vectors come back equal.
 * Fused lists break ties in no fixed order: assertions on order only where scores differ.
 */
const points: { id: number; dense: number[]; lexical?: Sparse; payload: { category: string } }[] = [
  { id: 1, dense: [1, 0, 0, 0], lexical: { indices: [10, 20], values: [1, 2] }, payload: { category: 'cardio' } },
  { id: 2, dense: [0.75, 0.25, 0, 0], lexical: { indices: [10], values: [2] }, payload: { category: 'cardio' } },
  { id: 3, dense: [0.5, 0.5, 0, 0], lexical: { indices: [10, 30], values: [1, 1] }, payload: { category: 'neuro' } },
  { id: 4, dense: [0, 1, 0, 0], lexical: { indices: [10, 40], values: [1, 0.5] }, payload: { category: 'neuro' } },
  { id: 5, dense: [0, 0, 1, 0], lexical: { indices: [10], values: [1] }, payload: { category: 'onco' } },
  { id: 6, dense: [0, 0, 0, 1], lexical: { indices: [70], values: [1] }, payload: { category: 'cardio' } },
  { id: 7, dense: [0.25, 0, 0, 0.5], payload: { category: 'neuro' } },
];
const withSparse = points.filter((p) => p.lexical);
const holding = (term: number) => withSparse.filter((p) => p.lexical!.indices.includes(term)).length;

/** What Qdrant stores and returns for a point: the dense vector alone, or named vectors with it under "". */
const vectorOf = (p: (typeof points)[number]) => (p.lexical ? { '': p.dense, lexical: p.lexical, raw: p.lexical } : p.dense);

/** Qdrant's IDF (BM25's): of `total` points with the sparse vector, `having` hold the term. */
const idf = (having: number, total: number) => Math.log((total - having + 0.5) / (having + 0.5) + 1);

const neuro = { must: [{ key: 'category', match: { value: 'neuro' } }] };
const dense = (limit = 3) => ({ query: [1, 0, 0, 0], limit });
const sparse = (query: Sparse, limit = 3) => ({ query, using: 'lexical', limit });
const rare = { indices: [20, 70], values: [1, 1] };

describe('sparse vectors and hybrid queries', () => {
  const name = collectionName('sparse');

  beforeAll(async () => {
    await client.createCollection(name, {
      vectors: { size: 4, distance: 'Dot' },
      sparse_vectors: { lexical: { modifier: 'idf' }, raw: { modifier: 'none', index: { full_scan_threshold: 5000, on_disk: false } } },
    });
    // Points 4 to 6 are written column-wise (the batch form), the others as a list.
    const batched = points.filter((p) => p.id >= 4 && p.lexical);
    const listed = points.filter((p) => !batched.includes(p));
    await client.upsert(name, { wait: true, points: listed.map((p) => ({ id: p.id, vector: vectorOf(p), payload: p.payload })) });
    await client.upsert(name, {
      wait: true,
      batch: {
        ids: batched.map((p) => p.id),
        vectors: { '': batched.map((p) => p.dense), lexical: batched.map((p) => p.lexical!), raw: batched.map((p) => p.lexical!) },
        payloads: batched.map((p) => p.payload),
      },
    });
  });

  it('creates collections with sparse vectors and reports them in the config', async () => {
    const info = await client.getCollection(name);
    expect(info.config.params.vectors).toEqual({ size: 4, distance: 'Dot' });
    expect(info.config.params.sparse_vectors).toEqual({
      lexical: { modifier: 'idf' },
      raw: { modifier: 'none', index: { full_scan_threshold: 5000, on_disk: false } },
    });
    expect(info.points_count).toBe(points.length);

    // Restating a sparse vector's parameters changes nothing and is accepted.
    expect(await client.updateCollection(name, { sparse_vectors: { lexical: { modifier: 'idf' } } })).toBe(true);
    expectError(await api('PATCH', `/collections/${name}`, { sparse_vectors: { missing: { modifier: 'idf' } } }), 400, /Not existing vector name error: missing/);

    const named = collectionName('sparse_named');
    await client.createCollection(named, { vectors: { text: { size: 2, distance: 'Cosine' } }, sparse_vectors: { words: {} } });
    expect((await client.getCollection(named)).config.params).toMatchObject({ vectors: { text: { size: 2, distance: 'Cosine' } }, sparse_vectors: { words: {} } });

    const clash = collectionName('sparse_clash');
    expect((await api('PUT', `/collections/${clash}`, { vectors: { text: { size: 2, distance: 'Dot' } }, sparse_vectors: { text: {} } })).status).toBe(400);
    expect(await client.collectionExists(clash)).toEqual({ exists: false });

    const plain = collectionName('sparse_plain');
    await client.createCollection(plain, { vectors: { size: 2, distance: 'Dot' } });
    expect((await client.getCollection(plain)).config.params.sparse_vectors).toBeUndefined();
  });

  it('returns dense and sparse vectors in Qdrant’s shape, written as points or as a batch', async () => {
    const records = await client.retrieve(name, { ids: points.map((p) => p.id), with_vector: true, with_payload: true });
    expect(records.sort((a, b) => Number(a.id) - Number(b.id))).toEqual(points.map((p) => ({ id: p.id, payload: p.payload, vector: vectorOf(p) })));

    const onlySparse = await client.retrieve(name, { ids: [1, 7], with_vector: ['lexical'], with_payload: false });
    expect(onlySparse.map((r) => [r.id, r.vector])).toEqual(
      expect.arrayContaining([
        [1, { lexical: points[0]!.lexical }],
        [7, {}],
      ]),
    );
    const onlyDense = await client.retrieve(name, { ids: [2], with_vector: [''] });
    expect(onlyDense[0]?.vector).toEqual(points[1]!.dense);

    const scrolled = await client.scroll(name, { filter: { must: [{ has_id: [4, 7] }] }, with_vector: true, with_payload: false });
    expect(scrolled.points.map((r) => r.vector)).toEqual([vectorOf(points[3]!), points[6]!.dense]);
    const found = await client.query(name, { query: [0, 0, 0, 1], limit: 1, with_vector: ['raw', ''] });
    expect(found.points[0]).toMatchObject({ id: 6, score: 1, vector: { '': points[5]!.dense, raw: points[5]!.lexical } });
  });

  it('writes points with named vectors only, dense and sparse', async () => {
    const named = collectionName('sparse_only_named');
    await client.createCollection(named, { vectors: { text: { size: 2, distance: 'Dot' } }, sparse_vectors: { words: { modifier: 'idf' } } });
    await client.upsert(named, {
      wait: true,
      points: [
        { id: 1, vector: { text: [1, 0], words: { indices: [3, 5], values: [1, 1] } } },
        { id: 2, vector: { words: { indices: [5], values: [0.5] } } },
      ],
    });
    await client.upsert(named, { wait: true, batch: { ids: [3], vectors: { text: [[0, 1]], words: [{ indices: [], values: [] }] } } });
    const records = await client.retrieve(named, { ids: [1, 2, 3], with_vector: true });
    expect(Object.fromEntries(records.map((r) => [r.id, r.vector]))).toEqual({
      1: { text: [1, 0], words: { indices: [3, 5], values: [1, 1] } },
      2: { words: { indices: [5], values: [0.5] } },
      3: { text: [0, 1], words: { indices: [], values: [] } },
    });
    const byWords = await client.query(named, { query: { nearest: { indices: [3], values: [1] } }, using: 'words' });
    expect(byWords.points.map((p) => p.id)).toEqual([1]);
    expectError(await api('PUT', `/collections/${named}/points?wait=true`, { points: [{ id: 4, vector: [1, 0] }] }), 400, /Not existing vector name error/);
  });

  it('scores sparse vectors with IDF from the collection: a rare term outweighs a common one', async () => {
    const query = { indices: [10, 70], values: [1, 1] };
    const [common, single] = [idf(holding(10), withSparse.length), idf(holding(70), withSparse.length)];

    const raw = await client.query(name, { query, using: 'raw', limit: 10 });
    expect(raw.points[0]).toMatchObject({ id: 2, score: 2 });
    expect(raw.points.slice(1).map((p) => p.score)).toEqual([1, 1, 1, 1, 1]);

    const weighted = await client.query(name, { query: { nearest: query }, using: 'lexical', limit: 10 });
    expect(weighted.points.map((p) => p.id).slice(0, 2)).toEqual([6, 2]);
    expect(weighted.points[0]!.score).toBeCloseTo(single, 5);
    expect(weighted.points[1]!.score).toBeCloseTo(2 * common, 5);
    expect(weighted.points).toHaveLength(withSparse.length);
  });

  it('fuses dense and sparse prefetches by rank: top in both first, found by one still returned', async () => {
    const fused = await client.query(name, { prefetch: [dense(), sparse(rare)], query: { fusion: 'rrf' }, with_payload: true });
    // Dense finds 1, 2, 3; sparse finds 1, 6. RRF adds 1/(k + rank) per list, rank from 0; Qdrant's default k is 2.
    expect(fused.points[0]).toMatchObject({ id: 1, score: 1, payload: { category: 'cardio' } });
    expect(fused.points.map((p) => p.id).sort()).toEqual([1, 2, 3, 6]);
    expect(fused.points.find((p) => p.id === 6)?.score).toBeCloseTo(1 / 3, 6);
    expect(fused.points.at(-1)).toMatchObject({ id: 3, score: 0.25 });

    const withK = await client.query(name, { prefetch: [dense(), sparse(rare)], query: { rrf: { k: 60 } } });
    expect(withK.points[0]?.id).toBe(1);
    expect(withK.points[0]?.score).toBeCloseTo(2 / 60, 6);
    const weighted = await client.query(name, { prefetch: [dense(), sparse(rare)], query: { rrf: { weights: [3, 1] } } });
    expect(weighted.points.map((p) => p.id)).toEqual([1, 2, 3, 6]);
    const dbsf = await client.query(name, { prefetch: [dense(), sparse(rare)], query: { fusion: 'dbsf' } });
    expect(dbsf.points[0]?.id).toBe(1);
    expect(dbsf.points.map((p) => p.id).sort()).toEqual([1, 2, 3, 6]);

    // A vector query over prefetches re-scores their candidates only: point 7 (0.5 on this axis) is in neither.
    const rescored = await client.query(name, { prefetch: [dense(), sparse(rare)], query: [0, 0, 0, 1] });
    expect(rescored.points[0]).toMatchObject({ id: 6, score: 1 });
    expect(rescored.points.map((p) => p.id).sort()).toEqual([1, 2, 3, 6]);
    const nested = await client.query(name, { prefetch: { prefetch: [dense(), sparse(rare)], query: { fusion: 'rrf' }, limit: 10 }, query: [0, 0, 0, 1] });
    expect(nested.points[0]).toMatchObject({ id: 6, score: 1 });
    expect(nested.points.map((p) => p.id).sort()).toEqual([1, 2, 3, 6]);
  });

  it('answers a batch of hybrid queries, each as it would alone', async () => {
    // No ties in these, so each answer has one order.
    const searches: Schemas['QueryRequest'][] = [
      { prefetch: [dense(), sparse(rare)], query: { rrf: { weights: [3, 1] } }, with_payload: true },
      { prefetch: [dense(2), sparse({ indices: [10, 20], values: [1, 1] }, 2)], query: { rrf: { k: 10 } }, limit: 3 },
      { prefetch: [dense(), sparse(rare)], query: [0.1, 0.2, 0.3, 1], with_vector: true },
      { query: { indices: [10, 70], values: [1, 1] }, using: 'lexical', limit: 2 },
    ];
    const batch = await client.queryBatch(name, { searches });
    expect(batch).toEqual(await Promise.all(searches.map((search) => client.query(name, search))));
    expect(batch.map((result) => result.points.map((p) => p.id))).toEqual([
      [1, 2, 3, 6],
      [1, 2],
      [6, 3, 2, 1],
      [6, 2],
    ]);
  });

  it('applies each prefetch’s own filter', async () => {
    const fused = await client.query(name, {
      prefetch: [
        { ...dense(2), filter: neuro },
        { ...sparse({ indices: [10], values: [1] }, 2), filter: neuro },
      ],
      query: { fusion: 'rrf' },
      with_payload: true,
    });
    // Dense among neuro: 3, 7; sparse among neuro: 3, 4 (7 has no sparse vector).
    expect(fused.points[0]?.id).toBe(3);
    expect(fused.points.map((p) => p.id).sort()).toEqual([3, 4, 7]);
    expect(fused.points.every((p) => p.payload?.category === 'neuro')).toBe(true);

    // The request's own filter applies inside every prefetch: no neuro point holds term 20 or 70.
    const rooted = await client.query(name, { prefetch: [dense(2), sparse(rare, 2)], query: { fusion: 'rrf' }, filter: neuro });
    expect(rooted.points.map((p) => p.id)).toEqual([3, 7]);

    const oneFiltered = await client.query(name, {
      prefetch: [dense(), { ...sparse(rare), filter: { must_not: [{ has_id: [1] }] } }],
      query: { fusion: 'rrf' },
    });
    // Point 1 now counts only for its dense rank.
    expect(oneFiltered.points.map((p) => p.id).sort()).toEqual([1, 2, 3, 6]);
    expect(oneFiltered.points.find((p) => p.id === 1)?.score).toBe(0.5);
  });

  it('rejects malformed sparse vectors and unknown vector names with Qdrant’s errors, writing nothing', async () => {
    const upsert = (body: unknown) => api('PUT', `/collections/${name}/points?wait=true`, body);
    const uneven = { indices: [1, 2], values: [0.5] };
    const repeated = { indices: [3, 3], values: [0.5, 1] };
    const lengths = /Validation error: must be the same length as indices/;

    expectError(await upsert({ points: [{ id: 50, vector: { '': [1, 0, 0, 0], lexical: uneven } }] }), 422, /^Validation error in JSON body: \[points\[0\]\.vector\.\?\.values: Validation error: must be the same length as indices \[\{\}\]\]$/);
    expectError(await upsert({ points: [{ id: 51, vector: { lexical: repeated } }] }), 422, /points\[0\]\.vector\.\?\.indices: Validation error: must be unique/);
    expectError(await upsert({ batch: { ids: [52], vectors: { lexical: [repeated] } } }), 422, /batch\.\?\.indices: Validation error: must be unique/);
    expectError(await upsert({ points: [{ id: 53, vector: { unknown: { indices: [1], values: [1] } } }] }), 400, /^Wrong input: Not existing vector name error: unknown$/);
    expectError(await upsert({ points: [{ id: 54, vector: { '': [1, 0, 0, 0], unknown: [1, 0] } }] }), 400, /Not existing vector name error: unknown/);
    expect(await client.count(name, { exact: true })).toEqual({ count: points.length });

    const query = (body: unknown) => api('POST', `/collections/${name}/points/query`, body);
    expectError(await query({ query: uneven, using: 'lexical' }), 422, lengths);
    expectError(await query({ query: { nearest: repeated }, using: 'lexical' }), 422, /must be unique/);
    expectError(await query({ prefetch: [dense(), { query: uneven, using: 'lexical' }], query: { fusion: 'rrf' } }), 422, /prefetch\[1\]\.query\.values: Validation error: must be the same length/);
    expectError(await query({ query: rare, using: 'unknown' }), 400, /Not existing vector name error: unknown/);
    expectError(await query({ query: { rrf: { k: 0 } }, prefetch: [dense()] }), 422, /rrf\.k: value 0 invalid, must be 1 or larger/);
    const batch = await api('POST', `/collections/${name}/points/query/batch`, { searches: [{ query: [1, 0, 0, 0] }, { prefetch: sparse(repeated), query: { fusion: 'rrf' } }] });
    expectError(batch, 422, /searches\[1\]\.internal\.prefetch\[0\]\.query\.indices: Validation error: must be unique/);
  });

  it('refuses with 501 what the engine cannot do', async () => {
    const change = await api('PATCH', `/collections/${name}`, { sparse_vectors: { lexical: { modifier: 'none' } } });
    expect(change.status).toBe(501);
    expect(change.body).toMatchObject({ status: { error: expect.stringContaining('sparse vector `lexical`') } });
    expect((await client.getCollection(name)).config.params.sparse_vectors?.lexical).toEqual({ modifier: 'idf' });

    const turbo = await api('PUT', `/collections/${collectionName('sparse_turbo')}`, { sparse_vectors: { words: { index: { datatype: 'turbo4' } } } });
    expect(turbo.status).toBe(501);
    expect(turbo.body).toMatchObject({ status: { error: expect.stringContaining('turbo4') } });
  });
});
