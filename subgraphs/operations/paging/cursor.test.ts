import { describe, expect, it } from 'vitest';
import { toConnection } from './connection.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('keyset cursors', () => {
  it('round-trips a timestamp and an id', () => {
    const at = new Date('2026-01-14T09:31:02.123Z');
    expect(decodeCursor(encodeCursor(at, 'session:abc'))).toEqual({ at, id: 'session:abc' });
    expect(decodeCursor(null)).toBeUndefined();
  });

  it.each([
    'garbage',
    Buffer.from('["not a date","x"]').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('["+275760-09-13T00:00:00.000Z","x"]').toString('base64url'),
    Buffer.from('["-000500-01-01T00:00:00.000Z","x"]').toString('base64url'),
  ])('refuses %s with BAD_USER_INPUT', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrowError(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }) }));
  });

  it('builds a page from first + 1 rows', () => {
    const rows = [1, 2, 3].map((n) => ({ id: `r${n}`, at: new Date(n * 1000) }));
    const page = toConnection(rows, 2, (row) => row);
    expect(page.edges.map((edge) => edge.node.id)).toEqual(['r1', 'r2']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(new Date(2000), 'r2') });
    expect(toConnection([], 2, (row: { id: string; at: Date }) => row)).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
