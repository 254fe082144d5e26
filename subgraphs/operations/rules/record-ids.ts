import { randomUUID } from 'node:crypto';

/**
 * Ids of new sessions and messages, chosen before the write so both stores hold the same one
 * during the move: the legacy application's uuid4 format, `session:<uuid4>` and `msg:<uuid4>`.
 */
export const newSessionId = () => `session:${randomUUID()}`;
export const newMessageId = () => `msg:${randomUUID()}`;
