import DataLoader from 'dataloader';
import { compareInstants, exactIso } from '../../lib/precise-time.js';
import type { MessagePage, SessionRef } from './routing/ports.js';
import type { StoreSet } from './routing/routed-stores.js';
import { type DocumentQualityRow, type DocumentRow, type FeedbackRow, type MessageRow, type SessionRow } from './store/index.js';

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
function pickPage(rows: readonly MessageRow[], key: MessagePage): MessageRow[] {
  const after = key.after;
  const page = rows.filter(
    (row) =>
      row.sessionId === key.sessionId &&
      (!after || compareInstants(row.createdAt, after.at) > 0 || (compareInstants(row.createdAt, after.at) === 0 && row.id > after.id)),
  );
  return page.slice(0, key.limit);
}

/** Created per request: a loader's cache must never serve one caller's rows to another. */
export function createLoaders(stores: StoreSet) {
  return {
    sessionById: new DataLoader<string, SessionRow | null>(async (ids) => byKey(ids, await stores.conversations.sessionsByIds(ids), (row) => row.id)),
    messageById: new DataLoader<string, MessageRow | null>(async (ids) => byKey(ids, await stores.conversations.messagesByIds(ids), (row) => row.id)),
    documentById: new DataLoader<string, DocumentRow | null>(async (ids) => byKey(ids, await stores.documents.documentsByIds(ids), (row) => row.id)),
    qualityByDocumentId: new DataLoader<string, DocumentQualityRow | null>(async (ids) =>
      byKey(ids, await stores.documents.qualityByDocumentIds(ids), (row) => row.documentId),
    ),
    feedbackBySession: new DataLoader<SessionRef, FeedbackRow[], string>(
      async (sessions) => {
        const rows = await stores.feedback.feedbackBySessions(sessions);
        return groupByKey(sessions.map((session) => session.id), rows, (row) => row.sessionId ?? '');
      },
      { cacheKeyFn: (session) => session.id },
    ),
    messagePage: new DataLoader<MessagePage, MessageRow[], string>(
      async (keys) => {
        const rows = await stores.conversations.messagePages(keys);
        return keys.map((key) => pickPage(rows, key));
      },
      { cacheKeyFn: (key) => JSON.stringify([key.sessionId, key.limit, key.after ? exactIso(key.after.at) : null, key.after?.id ?? null]) },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
