import { encodeCursor } from './cursor.js';

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * A Relay-style page from `first + 1` fetched rows: the extra row only tells that a next
 * page exists. `keyOf` gives the (timestamp, id) the rows are ordered by.
 */
export function toConnection<T>(rows: readonly T[], first: number, keyOf: (row: T) => { at: Date; id: string }): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => {
    const key = keyOf(node);
    return { node, cursor: encodeCursor(key.at, key.id) };
  });
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
