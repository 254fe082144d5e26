import type { KeysetCursor } from '../paging/cursor.js';
import type { FeedbackLimits } from '../rules/feedback-limits.js';
import type {
  Actor,
  DocumentQualityRow,
  DocumentRow,
  DocumentStatus,
  IngestOutcome,
  NewDocument,
  FeedbackRow,
  MessageHitRow,
  MessageRow,
  NewFeedback,
  NewMessage,
  NewSession,
  OutboxEvent,
  RatedAnswer,
  SessionFilter,
  SessionPatch,
  SessionRow,
} from '../store/index.js';

/**
 * What the resolvers ask of the conversations (sessions and messages) and of the feedback,
 * wherever they are stored: PostgreSQL, the legacy store, or both during the move. Each store
 * implements these; routed-stores.ts picks by the domain's migration stage.
 */

/** One page request of a session's messages; the patient decides the store during a rollout. */
export interface MessagePage {
  sessionId: string;
  patientId: string;
  limit: number;
  after?: KeysetCursor | undefined;
}

export interface ConversationReads {
  sessionsByIds(ids: readonly string[]): Promise<SessionRow[]>;
  /** Most recently active first; up to `limit` rows after the cursor. */
  listSessions(filter: SessionFilter, limit: number, after?: KeysetCursor): Promise<SessionRow[]>;
  countSessions(filter: SessionFilter): Promise<number>;
  /** The rows of every page, ordered by session, then chronologically. */
  messagePages(pages: readonly MessagePage[]): Promise<MessageRow[]>;
  messagesByIds(ids: readonly string[]): Promise<MessageRow[]>;
  searchMessages(patientId: string, text: string, limit: number): Promise<MessageHitRow[]>;
  ratedAnswer(responseId: string): Promise<RatedAnswer | undefined>;
}

export interface ConversationWrites {
  startSession(actor: Actor, input: NewSession): Promise<SessionRow>;
  /** Locks the session, lets `decide` check it and return the change (it throws to refuse), applies it. */
  updateSession(actor: Actor, id: string, action: string, decide: (current: SessionRow) => SessionPatch): Promise<SessionRow>;
  /** Locks the session, lets `check` refuse (throw), then posts. */
  postMessage(actor: Actor, input: NewMessage, check: (session: SessionRow) => void): Promise<MessageRow>;
}

export type ConversationStore = ConversationReads & ConversationWrites;

/** A session as far as routing needs it: the patient decides the store during a rollout. */
export interface SessionRef {
  id: string;
  patientId: string;
}

export interface FeedbackReads {
  /** Feedback about these sessions, oldest first. */
  feedbackBySessions(sessions: readonly SessionRef[]): Promise<FeedbackRow[]>;
}

export interface FeedbackWrites {
  /** Checks the limits and stores the feedback with its event (published once the change is committed). */
  submitFeedback(actor: Actor, input: NewFeedback, limits: FeedbackLimits, toEvent: (row: FeedbackRow) => OutboxEvent): Promise<FeedbackRow>;
}

export type FeedbackStore = FeedbackReads & FeedbackWrites;

export interface DocumentReads {
  documentsByIds(ids: readonly string[]): Promise<DocumentRow[]>;
  qualityByDocumentIds(ids: readonly string[]): Promise<DocumentQualityRow[]>;
  /** Newest first; up to `limit` rows after the cursor. */
  listDocuments(status: DocumentStatus | null | undefined, limit: number, after?: KeysetCursor): Promise<DocumentRow[]>;
  countDocuments(status: DocumentStatus | null | undefined): Promise<number>;
}

export interface DocumentWrites {
  /** The document (pending) with its ingest request event. */
  createDocument(actor: Actor, input: NewDocument, toEvent: (row: DocumentRow) => OutboxEvent): Promise<DocumentRow>;
  /** Applies a result of ingestion once in effect; false when it was applied already or names no document. */
  applyIngestOutcome(eventId: string, documentId: string, outcome: IngestOutcome): Promise<boolean>;
}

export type DocumentStore = DocumentReads & DocumentWrites;
