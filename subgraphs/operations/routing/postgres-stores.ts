import { newChange, type Change, type ChangeEnvelope } from '../../../migration/changes.js';
import type { MigrationDomain } from '../../../migration/stages/stage-rules.js';
import {
  countSessions,
  createSession,
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
  type PostedMessage,
  type SessionRow,
  type WithinChange,
} from '../store/index.js';
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
 * Runs one write; while the domain dual-writes, its change is queued inside the write's
 * transaction and handed to the relay after commit.
 */
export function postgresWriter(queue: LegacyChangeQueue) {
  return async <Row, Written = Row>(domain: MigrationDomain, actor: Actor, describe: (written: Written) => { aggregate: string; change: Change }, run: (within?: WithinChange<Written>) => Promise<Row>): Promise<Row> => {
    if (!queue.dualWrites(domain)) return run();
    let queued: ChangeEnvelope | undefined;
    const result = await run(async (tx, row, audit) => {
      queued = newChange({ domain, ...describe(row), audit: { actor, entry: audit }, events: [], toPostgres: true });
      await queue.enqueue(tx, queued);
    });
    if (queued) queue.committed(queued);
    return result;
  };
}

/** The stores of sessions, messages and feedback in PostgreSQL, recording their changes for the legacy store while it receives writes. */
export function postgresStores(db: Database, queue: LegacyChangeQueue, publishNow: (eventIds: readonly string[]) => Promise<void>): { conversations: ConversationStore; feedback: FeedbackStore } {
  const write = postgresWriter(queue);
  const session = (row: SessionRow) => ({ aggregate: row.id, change: { kind: 'session.upsert', session: row } as const });
  const conversations: ConversationStore = {
    sessionsByIds: (ids) => findSessionsByIds(db, ids),
    listSessions: (filter, limit, after) => listSessions(db, filter, limit, after),
    countSessions: (filter) => countSessions(db, filter),
    messagePages: (pages) => listMessagePages(db, pages),
    messagesByIds: (ids) => findMessagesByIds(db, ids),
    searchMessages: (patientId, text, limit) => searchMessages(db, patientId, text, limit),
    ratedAnswer: (responseId) => findRatedAnswer(db, responseId),
    startSession: (actor, input) => write('sessions', actor, session, (within) => createSession(db, actor, input, within)),
    updateSession: (actor, id, action, decide) => write('sessions', actor, session, (within) => updateSession(db, actor, id, action, decide, within)),
    postMessage: (actor, input, check) =>
      write('sessions', actor, (posted: PostedMessage) => ({ aggregate: posted.message.sessionId, change: { kind: 'message.insert', ...posted } }), (within) => insertMessage(db, actor, input, check, within)),
  };
  const feedback: FeedbackStore = {
    feedbackBySessions: (sessions) => findFeedbackBySessionIds(db, sessions.map((session) => session.id)),
    submitFeedback: async (actor, input, limits, toEvent) => {
      const events: string[] = [];
      const announce = (row: FeedbackRow) => {
        const event = toEvent(row);
        events.push(event.eventId);
        return event;
      };
      const saved = await write('feedback', actor, (row: FeedbackRow) => ({ aggregate: row.id, change: { kind: 'feedback.insert', feedback: row } }), (within) => insertFeedback(db, actor, input, limits, announce, within));
      // committed: the outbox has the event, publishing it now spares the relay's delay
      await publishNow(events);
      return saved;
    },
  };
  return { conversations, feedback };
}
