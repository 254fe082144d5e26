import { conflict } from '../../../lib/errors.js';
import type { SessionStatus } from '../store/schema/columns.js';

/** The legal status changes: an ended session can only be archived; an archived one is final. */
export const sessionTransitions: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  active: ['ended', 'archived'],
  ended: ['archived'],
  archived: [],
};

/** CONFLICT naming both statuses and what is allowed, when `from -> to` is not legal. */
export function checkTransition(id: string, from: SessionStatus, to: SessionStatus): void {
  const allowed = sessionTransitions[from];
  if (allowed.includes(to)) return;
  const options = allowed.length > 0 ? `it can only become ${allowed.map((status) => status.toUpperCase()).join(' or ')}` : 'it can no longer change';
  throw conflict(`Session ${id} is ${from.toUpperCase()} and cannot become ${to.toUpperCase()}: ${options}`);
}

/** Messages and renames need a session that is still open. */
export function checkWritable(id: string, status: SessionStatus, what: string): void {
  if (status === 'active') return;
  throw conflict(`Session ${id} is ${status.toUpperCase()}: ${what} needs an ACTIVE session`);
}

/** A title can change until the session is archived (archived sessions are read-only). */
export function checkRenamable(id: string, status: SessionStatus): void {
  if (status !== 'archived') return;
  throw conflict(`Session ${id} is ARCHIVED: archived sessions are read-only`);
}
