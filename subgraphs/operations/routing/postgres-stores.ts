import { newChange, type Change, type ChangeEnvelope } from '../../../migration/changes.js';
import type { MigrationDomain } from '../../../migration/stages/stage-rules.js';
import {
  countSessions,
  createSession,
  enqueueEvent,
  findFeedbackBySessionIds,
  findMessagesByIds,
  findRatedAnswer,
  findSessionsByIds,
  insertFeedback,
  insertMessage,
  listMessagePages,
  listSessions,
  searchMessages,
  updateSession,
  type Actor,
  type Database,
  type Executor,
  type FeedbackRow,
  type OutboxEvent,
  type PostedMessage,
  type SessionRow,
  type WithinChange,
} from '../store/index.js';
import type { ConversationEvents } from '../events/conversation-events.js';
import type { ConversationStore, FeedbackStore } from './ports.js';

/** Where PostgreSQL's changes for the legacy store go while a domain dual-writes (inside the changing transaction). */
export interface LegacyChangeQueue {
  /** Whether writes of the domain also go to the legacy store now. */
  dualWrites(domain: MigrationDomain): boolean;
  enqueue(tx: Executor, envelope: ChangeEnvelope): Promise<void>;
  /** After commit: apply the aggregate's changes to the legacy store now (failures are left to the relay). */
  committed(envelope: ChangeEnvelope): void;
}

/**
 * Runs one write; the events it announces go into the outbox inside its transaction and are
 * published once it commits; while the domain dual-writes, its change is queued inside the same
 * transaction and handed to the relay after commit.
 */
export function postgresWriter(queue: LegacyChangeQueue, publishNow: (events: readonly OutboxEvent[]) => Promise<void>) {
  return async <Row, Written = Row>(
    domain: MigrationDomain,
    actor: Actor,
    describe: (written: Written) => { aggregate: string; change: Change },
    run: (within?: WithinChange<Written>) => Promise<Row>,
    announce?: (written: Written) => OutboxEvent[],
  ): Promise<Row> => {
    const dualWrites = queue.dualWrites(domain);
    if (!dualWrites && !announce) return run();
    let queued: ChangeEnvelope | undefined;
    const events: OutboxEvent[] = [];
    const result = await run(async (tx, row, audit) => {
      for (const event of announce?.(row) ?? []) {
        await enqueueEvent(tx, event);
        events.push(event);
      }
      if (!dualWrites) return;
      queued = newChange({ domain, ...describe(row), audit: { actor, entry: audit }, events: [], toPostgres: true });
      await queue.enqueue(tx, queued);
    });
    if (queued) queue.committed(queued);
    if (events.length > 0) await publishNow(events);
    return result;
  };
}

/** The stores of sessions, messages and feedback in PostgreSQL, recording their changes for the legacy store while it receives writes. */
export function postgresStores(
  db: Database,
  queue: LegacyChangeQueue,
  publishNow: (events: readonly OutboxEvent[]) => Promise<void>,
  announce: ConversationEvents,
): { conversations: ConversationStore; feedback: FeedbackStore } {
  const write = postgresWriter(queue, publishNow);
  const session = (row: SessionRow) => ({ aggregate: row.id, change: { kind: 'session.upsert', session: row } as const });
  const conversations: ConversationStore = {
    sessionsByIds: (ids) => findSessionsByIds(db, ids),
    listSessions: (filter, limit, after) => listSessions(db, filter, limit, after),
    countSessions: (filter) => countSessions(db, filter),
    messagePages: (pages) => listMessagePages(db, pages),
    messagesByIds: (ids) => findMessagesByIds(db, ids),
    searchMessages: (patientId, text, limit) => searchMessages(db, patientId, text, limit),
    ratedAnswer: (responseId) => findRatedAnswer(db, responseId),
    startSession: (actor, input) => write('sessions', actor, session, (within) => createSession(db, actor, input, within), (row) => announce({ session: row })),
    updateSession: (actor, id, action, decide) => write('sessions', actor, session, (within) => updateSession(db, actor, id, action, decide, within), (row) => announce({ session: row })),
    postMessage: (actor, input, check) =>
      write('sessions', actor, (posted: PostedMessage) => ({ aggregate: posted.message.sessionId, change: { kind: 'message.insert', ...posted } }), (within) => insertMessage(db, actor, input, check, within), announce),
  };
  const feedback: FeedbackStore = {
    feedbackBySessions: (sessions) => findFeedbackBySessionIds(db, sessions.map((session) => session.id)),
    submitFeedback: (actor, input, limits, toEvent) =>
      write('feedback', actor, (row: FeedbackRow) => ({ aggregate: row.id, change: { kind: 'feedback.insert', feedback: row } }), (within) => insertFeedback(db, actor, input, limits, within), (row) => [toEvent(row)]),
  };
  return { conversations, feedback };
}
