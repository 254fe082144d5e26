import { beforeAll, describe, expect, it } from 'vitest';
import { useQdrantContract } from './qdrant-contract.js';

const { client, contract, runId, collectionName, api, expectError, cosine, fixtures } = useQdrantContract();

describe('points', () => {
  const name = collectionName('points');

  beforeAll(async () => {
    await client.createCollection(name, { vectors: { size: 4, distance: 'Cosine' } });
    await client.createPayloadIndex(name, { field_name: 'category', field_schema: 'keyword', wait: true });
    await client.createPayloadIndex(name, { field_name: 'rank', field_schema: { type: 'integer', range: true, lookup: true }, wait: true });
    const result = await client.upsert(name, { wait: true, points: fixtures });
    expect(result.status).toBe('completed');
  });

  it('reports payload indexes in the collection info', async () => {
    const info = await client.getCollection(name);
    expect(info.points_count).toBe(fixtures.length);
    expect(info.payload_schema.category).toMatchObject({ data_type: 'keyword', points: fixtures.length });
    expect(info.payload_schema.rank).toMatchObject({ data_type: 'integer', params: { type: 'integer', range: true, lookup: true } });

    const dropped = collectionName('index');
    await client.createCollection(dropped, { vectors: { size: 2, distance: 'Euclid' } });
    await client.createPayloadIndex(dropped, { field_name: 'x', field_schema: 'float', wait: true });
    await client.deletePayloadIndex(dropped, 'x', { wait: true });
    expect((await client.getCollection(dropped)).payload_schema).toEqual({});
  });

  it('retrieves points by id, with payload and normalized vectors', async () => {
    const records = await client.retrieve(name, { ids: [1, '7c9e6679-7425-40de-944b-e07fc1f90ae7', 999], with_payload: true, with_vector: true });
    expect(records.map((r) => r.id).sort()).toEqual([1, '7c9e6679-7425-40de-944b-e07fc1f90ae7']);
    const uuidPoint = records.find((r) => r.id === '7c9e6679-7425-40de-944b-e07fc1f90ae7');
    expect(uuidPoint?.payload).toEqual({ category: 'cardio', rank: 7 });
    const norm = Math.hypot(0.8, 0.2, 0.3);
    (uuidPoint?.vector as number[]).forEach((x, i) => expect(x).toBeCloseTo([0.8, 0.2, 0.3, 0][i]! / norm, 5));

    const single = await api('GET', `/collections/${name}/points/3`);
    expect(single.body).toMatchObject({ result: { id: 3, payload: { category: 'neuro', rank: 3 } } });
    expectError(await api('GET', `/collections/${name}/points/12345`), 404, /No point with id 12345 found/);
  });

  it('scrolls all points in pages and counts with a filter', async () => {
    const seen: (string | number)[] = [];
    let offset: string | number | undefined | null = undefined;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof client.scroll>> = await client.scroll(name, { limit: 3, offset: offset ?? undefined, with_payload: false });
      seen.push(...page.points.map((p) => p.id));
      offset = page.next_page_offset as string | number | null | undefined;
      pages += 1;
    } while (offset !== null && offset !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen)).toEqual(new Set(fixtures.map((f) => f.id)));
    expect(seen).toHaveLength(fixtures.length);

    const cardio = { must: [{ key: 'category', match: { value: 'cardio' } }] };
    expect(await client.count(name, { filter: cardio, exact: true })).toEqual({ count: 6 });
    const ranked = await client.scroll(name, { filter: { must: [{ key: 'rank', range: { gte: 3, lt: 6 } }] }, limit: 10 });
    expect(ranked.points.map((p) => p.id).sort()).toEqual([3, 4, 5]);
    const ordered = await client.scroll(name, { order_by: { key: 'rank', direction: 'desc' }, limit: 3 });
    expect(ordered.points.map((p) => p.id)).toEqual([8, '7c9e6679-7425-40de-944b-e07fc1f90ae7', 6]);
  });

  it('returns exactly the filtered points in score order, with score_threshold and offset', async () => {
    const query = [0.9, 0.3, 0.1, 0];
    const filter = { must: [{ key: 'category', match: { value: 'cardio' } }], must_not: [{ has_id: [8] }] };
    const expected = fixtures
      .filter((f) => f.payload.category === 'cardio' && f.id !== 8)
      .map((f) => ({ id: f.id, score: cosine(query, f.vector) }))
      .sort((a, b) => b.score - a.score);

    const all = await client.query(name, { query, filter, limit: 10, with_payload: true });
    expect(all.points.map((p) => p.id)).toEqual(expected.map((e) => e.id));
    all.points.forEach((p, i) => expect(p.score).toBeCloseTo(expected[i]!.score, 5));
    expect(all.points[0]?.payload).toEqual(fixtures.find((f) => f.id === expected[0]!.id)?.payload);

    const threshold = (expected[2]!.score + expected[3]!.score) / 2;
    const above = await client.query(name, { query, filter, limit: 10, score_threshold: threshold });
    expect(above.points.map((p) => p.id)).toEqual(expected.slice(0, 3).map((e) => e.id));
    expect(above.points[0]?.payload ?? null).toBeNull();

    const paged = await client.query(name, { query, filter, limit: 2, offset: 1 });
    expect(paged.points.map((p) => p.id)).toEqual(expected.slice(1, 3).map((e) => e.id));

    const anyOf = await client.query(name, { query, filter: { should: [{ key: 'tags', match: { any: ['b'] } }, { key: 'category', match: { value: 'onco' } }] } });
    expect(anyOf.points.map((p) => p.id).sort()).toEqual([2, 6]);
  });

  it('answers a batch of queries in one request, each exactly as it would answer alone', async () => {
    const searches = [
      { query: [0.9, 0.3, 0.1, 0], filter: { must: [{ key: 'category', match: { value: 'cardio' } }] }, limit: 3, with_payload: true },
      { query: [0, 0, 1, 0], limit: 2, offset: 1, with_vector: true },
      { query: [0, 1, 0, 0], filter: { must: [{ key: 'category', match: { value: 'nothing' } }] } },
    ];
    const batch = await client.queryBatch(name, { searches, consistency: 'majority', timeout: 5 });
    const alone = await Promise.all(searches.map((search) => client.query(name, search)));
    expect(batch).toEqual(alone);
    expect(batch.map((result) => result.points.length)).toEqual([3, 2, 0]);
    expect(await client.queryBatch(name, { searches: [] })).toEqual([]);
  });

  it('serves legacy search with Qdrant search result items', async () => {
    const hits = await client.search(name, { vector: [1, 0, 0, 0], limit: 2, filter: { must: [{ key: 'category', match: { value: 'cardio' } }] } });
    expect(hits.map((h) => h.id)).toEqual([1, 2]);
    for (const hit of hits) contract.assertResponse('POST', `/collections/${name}/points/query`, 200, { result: { points: [hit] }, status: 'ok', time: 0 });
  });

  it('sets, overwrites and deletes by ids and by filter', async () => {
    const scratch = collectionName('writes');
    await client.createCollection(scratch, { vectors: { size: 4, distance: 'Cosine' } });
    await client.upsert(scratch, { wait: true, points: fixtures });

    await client.setPayload(scratch, { points: [1, 2], payload: { reviewed: true }, wait: true });
    const [one] = await client.retrieve(scratch, { ids: [1] });
    expect(one?.payload).toEqual({ ...fixtures[0]!.payload, reviewed: true });
    await client.setPayload(scratch, { filter: { must: [{ key: 'category', match: { value: 'neuro' } }] }, payload: { flagged: 1 }, wait: true });
    expect(await client.count(scratch, { filter: { must: [{ key: 'flagged', match: { value: 1 } }] } })).toEqual({ count: 1 });
    await client.overwritePayload(scratch, { points: [2], payload: { only: 'this' }, wait: true });
    expect((await client.retrieve(scratch, { ids: [2] }))[0]?.payload).toEqual({ only: 'this' });
    expectError(await api('POST', `/collections/${scratch}/points/payload?wait=true`, { points: [424242], payload: { a: 1 } }), 404, /No point with id 424242/);

    await client.delete(scratch, { points: [1, '7c9e6679-7425-40de-944b-e07fc1f90ae7'], wait: true });
    expect(await client.count(scratch, {})).toEqual({ count: fixtures.length - 2 });
    await client.delete(scratch, { filter: { must: [{ key: 'rank', range: { gte: 5 } }] }, wait: true });
    const left = await client.scroll(scratch, { limit: 20 });
    expect(left.points.map((p) => p.id).sort()).toEqual([2, 3, 4]);
  });

  it("answers bad requests with Qdrant's status codes and error body", async () => {
    expectError(await api('POST', `/collections/missing_${runId}/points/query`, { query: [1, 0, 0, 0] }), 404, /Collection `missing_.*` doesn't exist!/);
    expectError(await api('PUT', `/collections/${name}/points?wait=true`, { points: [{ id: 'not-a-uuid', vector: [1, 0, 0, 0] }] }), 400, /not a valid point ID/);
    expectError(await api('PUT', `/collections/${name}/points?wait=true`, { points: [{ id: -1, vector: [1, 0, 0, 0] }] }), 400, /not a valid point ID/);
    expectError(await api('PUT', `/collections/${name}/points?wait=true`, { points: [{ id: 77, vector: [1, 0, 0] }] }), 400, /Vector dimension error: expected dim: 4, got 3/);
    expectError(await api('POST', `/collections/${name}/points/query`, { query: [1, 0] }), 400, /Vector dimension error/);
    await expect(client.query(name, { query: [1, 0] })).rejects.toMatchObject({ status: 400 });
    const batchPath = `/collections/${name}/points/query/batch`;
    expectError(await api('POST', batchPath, { searches: [{ query: [1, 0, 0, 0] }, { query: [1, 0] }] }), 400, /Vector dimension error: expected dim: 4, got 2/);
    expectError(await api('POST', batchPath, { searches: [{ query: [1, 0, 0, 0], limit: 0 }] }), 422, /limit: value 0 invalid/);
    expectError(await api('POST', batchPath, { searches: { query: [1, 0, 0, 0] } }), 400, /`searches` must be an array/);
    expectError(await api('POST', batchPath, { searches: ['not a query'] }), 400, /query request must be a JSON object/);
    expectError(await api('POST', `/collections/missing_${runId}/points/query/batch`, { searches: [{ query: [1, 0, 0, 0] }] }), 404, /doesn't exist!/);
  });

  it('refuses requests it does not support with 501 naming the feature', async () => {
    const mmr = await api('POST', `/collections/${name}/points/query`, { query: { nearest: [1, 0, 0, 0], mmr: { diversity: 0.5 } } });
    expect(mmr.status).toBe(501);
    expect(mmr.body).toMatchObject({ status: { error: expect.stringContaining('`mmr` in query') } });
    const groups = await api('POST', `/collections/${name}/points/query/groups`, { query: [1, 0, 0, 0], group_by: 'category' });
    expect(groups.status).toBe(501);
    expect(groups.body).toMatchObject({ status: { error: expect.stringContaining('/points/query/groups') } });
    const byId = await api('POST', `/collections/${name}/points/query`, { query: 1 });
    expect(byId.status).toBe(501);
    const batched = await api('POST', `/collections/${name}/points/query/batch`, { searches: [{ query: [1, 0, 0, 0] }, { query: [1, 0, 0, 0], lookup_from: { collection: name } }] });
    expect(batched.status).toBe(501);
    expect(batched.body).toMatchObject({ status: { error: expect.stringContaining('`lookup_from` in query request') } });
  });
});
