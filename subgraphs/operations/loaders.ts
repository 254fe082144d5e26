import DataLoader from 'dataloader';
import { compareInstants, exactIso } from '../../lib/precise-time.js';
import {
  findDocumentsByIds,
  findFeedbackBySessionIds,
  findMessagesByIds,
  findQualityByDocumentIds,
  findSessionsByIds,
  listMessagePages,
  type DocumentQualityRow,
  type DocumentRow,
  type Executor,
  type FeedbackRow,
  type MessagePageKey,
  type MessageRow,
  type SessionRow,
} from './store/index.js';

/** One result per key, in key order: the row with that key or null. */
function byKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

function groupByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * Rows of one page key, from the rows fetched for all keys (ordered by session, time, id).
 * The id tie-break compares like the database's C.UTF-8 collation (stack/ creates it so).
 */
function pickPage(rows: readonly MessageRow[], key: MessagePageKey): MessageRow[] {
  const after = key.after;
  const page = rows.filter(
    (row) =>
      row.sessionId === key.sessionId &&
      (!after || compareInstants(row.createdAt, after.at) > 0 || (compareInstants(row.createdAt, after.at) === 0 && row.id > after.id)),
  );
  return page.slice(0, key.limit);
}

/** Created per request: a loader's cache must never serve one caller's rows to another. */
export function createLoaders(db: Executor) {
  return {
    sessionById: new DataLoader<string, SessionRow | null>(async (ids) => byKey(ids, await findSessionsByIds(db, ids), (row) => row.id)),
    messageById: new DataLoader<string, MessageRow | null>(async (ids) => byKey(ids, await findMessagesByIds(db, ids), (row) => row.id)),
    documentById: new DataLoader<string, DocumentRow | null>(async (ids) => byKey(ids, await findDocumentsByIds(db, ids), (row) => row.id)),
    qualityByDocumentId: new DataLoader<string, DocumentQualityRow | null>(async (ids) =>
      byKey(ids, await findQualityByDocumentIds(db, ids), (row) => row.documentId),
    ),
    feedbackBySessionId: new DataLoader<string, FeedbackRow[]>(async (ids) =>
      groupByKey(ids, await findFeedbackBySessionIds(db, ids), (row) => row.sessionId ?? ''),
    ),
    messagePage: new DataLoader<MessagePageKey, MessageRow[], string>(
      async (keys) => {
        const rows = await listMessagePages(db, keys);
        return keys.map((key) => pickPage(rows, key));
      },
      { cacheKeyFn: (key) => JSON.stringify([key.sessionId, key.limit, key.after ? exactIso(key.after.at) : null, key.after?.id ?? null]) },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
