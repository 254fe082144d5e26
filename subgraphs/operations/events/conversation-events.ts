import { randomUUID } from 'node:crypto';
import type { EventPayload } from '../../../lib/event-contracts.js';
import { exactIso } from '../../../lib/precise-time.js';
import { defineEvent } from '../../../lib/typed-events.js';
import type { MessageRow, OutboxEvent, SessionRow } from '../store/index.js';

/** A conversation write as its events see it: the session after it, and the message it posted (if any). */
export interface ConversationWrite {
  session: SessionRow;
  message?: MessageRow;
}

/** The events a conversation write announces, committed with it (outbox row or legacy change record). */
export type ConversationEvents = (written: ConversationWrite) => OutboxEvent[];

/**
 * `message.added` for a posted message and `session.updated` for the session it changed (its
 * status, title or last activity): what subscribers of the gateway are sent (lib/event-contracts).
 */
export function conversationEvents(streamPrefix: string): ConversationEvents {
  return ({ session, message }) => [
    ...(message
      ? [defineEvent(streamPrefix, 'message.added', `message:${message.id}`, { messageId: message.id, sessionId: message.sessionId, patientId: message.patientId, createdAt: exactIso(message.createdAt) })]
      : []),
    defineEvent(streamPrefix, 'session.updated', `session:${session.id}:${randomUUID()}`, {
      sessionId: session.id,
      patientId: session.patientId,
      status: session.status.toUpperCase() as EventPayload<'session.updated'>['status'],
      lastActivity: exactIso(session.lastActivity),
    }),
  ];
}
