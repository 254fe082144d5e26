import { badInput } from '../../../lib/errors.js';
import { exactIso, parseInstant } from '../../../lib/precise-time.js';

/** A position in a keyset ordered by (timestamp, id). */
export interface KeysetCursor {
  at: Date;
  id: string;
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([exactIso(at), id])).toString('base64url');
}

/** The position after which a page starts; BAD_USER_INPUT when the cursor is not one of ours. */
export function decodeCursor(cursor: string | null | undefined): KeysetCursor | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      const at = parseInstant(parsed[0])?.instant;
      // within what PostgreSQL can compare with a timestamptz (our cursors are never outside years 1 to 9999)
      const year = at?.getUTCFullYear() ?? 0;
      if (at && year >= 1 && year <= 9999 && parsed[1].length <= 500) return { at, id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw badInput('The cursor is not valid: pass the endCursor of a previous page', 'after');
}
