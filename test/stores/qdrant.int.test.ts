import { describe, expect, it } from 'vitest';
import { useQdrantContract } from './qdrant-contract.js';

const { client, contract, collectionName, api, expectError, config } = useQdrantContract();

describe('the contract check itself', () => {
  it('rejects bodies that do not match the spec', () => {
    const path = '/collections/x';
    expect(() => contract.assertResponse('GET', path, 200, { result: { status: 'green' }, status: 'ok', time: 0 })).toThrow(/config/);
    expect(() => contract.assertResponse('POST', `${path}/points/query`, 200, { result: { points: [{ id: 'nope', score: 1, version: 0 }] }, status: 'ok', time: 0 })).toThrow();
    expect(() => contract.assertResponse('POST', `${path}/points/count`, 200, { result: { count: 3 }, status: 'ok', time: 0.1 })).not.toThrow();
  });
});

describe('service endpoints', () => {
  it('answers version info and health checks', async () => {
    const root = await api('GET', '/');
    expect(root.status).toBe(200);
    expect(root.body).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const response = await fetch(new URL(path, config.qdrant.url));
      expect(response.status).toBe(200);
    }
  });
});

describe('collections', () => {
  it('creates, describes, lists, checks and deletes a collection', async () => {
    const name = collectionName('lifecycle');
    expect(await client.createCollection(name, { vectors: { size: 8, distance: 'Dot' } })).toBe(true);
    expect(await client.collectionExists(name)).toEqual({ exists: true });
    const info = await client.getCollection(name);
    expect(info.config.params.vectors).toEqual({ size: 8, distance: 'Dot' });
    expect(info.points_count).toBe(0);
    expect(info.status).toBe('green');
    expect((await client.getCollections()).collections).toContainEqual({ name });

    expectError(await api('PUT', `/collections/${name}`, { vectors: { size: 8, distance: 'Dot' } }), 409, /already exists/);

    expect(await client.deleteCollection(name)).toBe(true);
    expect(await client.collectionExists(name)).toEqual({ exists: false });
    expectError(await api('GET', `/collections/${name}`), 404, `Collection \`${name}\` doesn't exist!`);
    expect((await api('DELETE', `/collections/${name}`)).body).toMatchObject({ result: false, status: 'ok' });
  });
});
