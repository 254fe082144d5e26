import type { Driver } from 'neo4j-driver';
import { AppError, notFound } from '../../../lib/errors.js';
import { compareInstants, notBefore, preciseNow } from '../../../lib/precise-time.js';
import { newChange, type Change, type ChangeEnvelope } from '../../../migration/changes.js';
import { writeChangeNode } from '../../../migration/legacy/change-nodes.js';
import { writeLegacy } from '../../../migration/legacy/driver.js';
import { countRecentLegacyFeedback, lockFeedbackOf, readSessionFeedback, writeFeedbackNode } from '../../../migration/legacy/feedback-nodes.js';
import type { LegacyFormat } from '../../../migration/legacy/legacy-format.js';
import { readMessagesByIds, readMessagesByResponseId, readSessionMessages, searchPatientMessages, type ConceptResolver } from '../../../migration/legacy/message-reads.js';
import { readPatientSessions, readSessionsByIds } from '../../../migration/legacy/session-reads.js';
import { lockSessionNode, writeMessageNode, writeSessionNode } from '../../../migration/legacy/session-writes.js';
import type { Problem } from '../../../migration/legacy/values.js';
import type { MigrationDomain } from '../../../migration/stages/stage-rules.js';
import type { KeysetCursor } from '../paging/cursor.js';
import { checkFeedbackLimits } from '../rules/feedback-limits.js';
import type { Actor, AuditEntry, FeedbackRow, MessageRow, SessionFilter, SessionRow } from '../store/index.js';
import type { ConversationEvents } from '../events/conversation-events.js';
import type { ConversationStore, FeedbackStore } from './ports.js';

/** The legacy store's part in the move: whether PostgreSQL receives its writes, and who applies them after commit. */
export interface PostgresChangeFeed {
  dualWrites(domain: MigrationDomain): boolean;
  /** After commit: apply the change to PostgreSQL and publish its events now (failures are left to the relay). */
  committed(envelope: ChangeEnvelope): void;
}

interface Readable<Row> {
  id: string;
  row: Row | undefined;
  problems: Problem[];
}

/** The rows, or an error naming the first record that cannot be read as it is (the migration report lists it too). */
export function rowsOf<Row>(kind: string, items: readonly Readable<Row>[]): Row[] {
  return items.map((item) => {
    if (item.row) return item.row;
    const problems = item.problems.map((problem) => `${problem.field} ${problem.reason}`).join('; ');
    throw new AppError('UNAVAILABLE', `The legacy ${kind} ${item.id} cannot be read (${problems})`);
  });
}

const newestFirst = (a: SessionRow, b: SessionRow) => compareInstants(b.lastActivity, a.lastActivity) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
const chronological = (a: MessageRow, b: MessageRow) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0) || compareInstants(a.createdAt, b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const beforeCursor = (after: KeysetCursor | undefined) => (row: SessionRow) => !after || compareInstants(row.lastActivity, after.at) < 0 || (compareInstants(row.lastActivity, after.at) === 0 && row.id < after.id);
const afterCursor = (after: KeysetCursor | undefined) => (row: MessageRow) => !after || compareInstants(row.createdAt, after.at) > 0 || (compareInstants(row.createdAt, after.at) === 0 && row.id > after.id);

export type LegacyTransaction = Parameters<Parameters<typeof writeLegacy>[1]>[0];
export interface LegacyWrite<Row> {
  row: Row;
  aggregate: string;
  change: Change;
  audit: AuditEntry;
  events?: ChangeEnvelope['events'];
}

/**
 * One write transaction with its change record (which carries the audit entry and events),
 * handed to the relay after commit. `work` returning `{ unchanged }`: nothing changed, so nothing
 * is recorded.
 */
export function legacyWriter(driver: Driver, feed: PostgresChangeFeed) {
  return async <Row>(domain: MigrationDomain, actor: Actor, work: (tx: LegacyTransaction) => Promise<LegacyWrite<Row> | { unchanged: Row }>): Promise<Row> => {
    const toPostgres = feed.dualWrites(domain);
    const { row, envelope } = await writeLegacy(driver, async (tx) => {
      const done = await work(tx);
      if ('unchanged' in done) return { row: done.unchanged, envelope: undefined };
      const envelope = newChange({ domain, aggregate: done.aggregate, change: done.change, audit: { actor, entry: done.audit }, events: done.events ?? [], toPostgres });
      await writeChangeNode(tx, envelope);
      return { row: done.row, envelope };
    });
    if (envelope) feed.committed(envelope);
    return row;
  };
}

/** Sessions, messages and feedback in the legacy store, read and written as the legacy application did. */
export function legacyStores(
  driver: Driver,
  format: LegacyFormat,
  resolveConcepts: ConceptResolver,
  feed: PostgresChangeFeed,
  announce: ConversationEvents,
): { conversations: ConversationStore; feedback: FeedbackStore } {
  const patientSessions = async (filter: SessionFilter) =>
    rowsOf('session', await readPatientSessions(driver, filter.patientId, format.readTime)).filter((row) => !filter.status || row.status === filter.status);

  const write = legacyWriter(driver, feed);

  async function lockedSession(tx: LegacyTransaction, id: string): Promise<SessionRow> {
    const locked = await lockSessionNode(tx, id, format);
    if (!locked) throw notFound('Session', id);
    return rowsOf('session', [locked])[0] as SessionRow;
  }

  const conversations: ConversationStore = {
    sessionsByIds: async (ids) => rowsOf('session', await readSessionsByIds(driver, ids, format.readTime)),
    listSessions: async (filter, limit, after) => (await patientSessions(filter)).filter(beforeCursor(after)).sort(newestFirst).slice(0, limit),
    countSessions: async (filter) => (await patientSessions(filter)).length,
    messagePages: async (pages) => {
      const rows = rowsOf('message', await readSessionMessages(driver, pages.map((page) => page.sessionId), format, resolveConcepts)).sort(chronological);
      return pages.flatMap((page) => rows.filter((row) => row.sessionId === page.sessionId).filter(afterCursor(page.after)).slice(0, page.limit));
    },
    messagesByIds: async (ids) => rowsOf('message', await readMessagesByIds(driver, ids, format, resolveConcepts)),
    searchMessages: async (patientId, text, limit) => {
      const hits = await searchPatientMessages(driver, patientId, text, limit, format, resolveConcepts);
      const rows = rowsOf('message', hits.map((hit) => hit.message));
      return rows.map((message, index) => ({ message, rank: hits[index]?.score ?? 0, snippet: message.content.length > 160 ? `${message.content.slice(0, 157)}...` : message.content }));
    },
    ratedAnswer: async (responseId) => {
      const answers = rowsOf('message', await readMessagesByResponseId(driver, responseId, format, resolveConcepts))
        .filter((row) => row.role === 'assistant')
        .sort((a, b) => compareInstants(b.createdAt, a.createdAt) || (a.id < b.id ? 1 : -1));
      const answer = answers[0];
      if (!answer) return undefined;
      const session = rowsOf('message', await readSessionMessages(driver, [answer.sessionId], format, resolveConcepts)).sort(chronological);
      const question = session.filter((row) => row.role === 'user' && chronological(row, answer) < 0).at(-1) ?? null;
      return { answer, question };
    },
    startSession: (actor, input) =>
      write('sessions', actor, async (tx) => {
        const row: SessionRow = { ...input, status: 'active', lastActivity: input.createdAt, endedAt: null, messageCount: 0 };
        await writeSessionNode(tx, row, format);
        return { row, aggregate: row.id, change: { kind: 'session.upsert', session: row }, audit: { action: 'session.start', entityType: 'session', entityId: row.id, newValue: row }, events: announce({ session: row }) };
      }),
    updateSession: (actor, id, action, decide) =>
      write('sessions', actor, async (tx) => {
        const current = await lockedSession(tx, id);
        const row: SessionRow = { ...current, ...decide(current) };
        await writeSessionNode(tx, row, format);
        return { row, aggregate: id, change: { kind: 'session.upsert', session: row }, audit: { action, entityType: 'session', entityId: id, oldValue: current, newValue: row }, events: announce({ session: row }) };
      }),
    postMessage: (actor, input, check) =>
      write('sessions', actor, async (tx) => {
        const session = await lockedSession(tx, input.sessionId);
        check(session);
        const row: MessageRow = { ...input, patientId: session.patientId, queryTimeSeconds: null, sources: [], reasoningTrail: [], createdAt: notBefore(preciseNow(), session.lastActivity) };
        await writeMessageNode(tx, row, format);
        const moved: SessionRow = { ...session, lastActivity: row.createdAt, messageCount: session.messageCount + 1 };
        return { row, aggregate: session.id, change: { kind: 'message.insert', message: row, session: moved }, audit: { action: 'message.post', entityType: 'message', entityId: row.id, newValue: row }, events: announce({ session: moved, message: row }) };
      }),
  };

  const feedback: FeedbackStore = {
    feedbackBySessions: async (sessions) =>
      rowsOf('feedback', await readSessionFeedback(driver, sessions.map((session) => session.id), format)).sort((a, b) => compareInstants(a.createdAt, b.createdAt) || (a.id < b.id ? -1 : 1)),
    submitFeedback: (actor, input, limits, toEvent) =>
      write('feedback', actor, async (tx) => {
        await lockFeedbackOf(tx, input.patientId ?? actor.sub);
        checkFeedbackLimits(input.responseId, await countRecentLegacyFeedback(tx, actor.sub, input), limits);
        const row: FeedbackRow = { ...input, actor: actor.sub, queryHash: null, createdAt: preciseNow() };
        await writeFeedbackNode(tx, row);
        return { row, aggregate: row.id, change: { kind: 'feedback.insert', feedback: row }, audit: { action: 'feedback.submit', entityType: 'feedback', entityId: row.id, newValue: row }, events: [toEvent(row)] };
      }),
  };
  return { conversations, feedback };
}
