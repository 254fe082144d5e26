import { customType } from 'drizzle-orm/pg-core';
import { exactIso, parseStoredTimestamp } from '../../../../lib/precise-time.js';

/**
 * Microsecond precision, as PostgreSQL stores it (legacy timestamps have microseconds and must
 * move unchanged). Values are PreciseDates: Dates that remember their microseconds, so keyset
 * cursors built from a row compare equal to the stored value.
 */
export const timestamptz = customType<{ data: Date; driverData: string }>({
  dataType: () => 'timestamp (6) with time zone',
  toDriver: (value) => exactIso(value),
  fromDriver: (value) => parseStoredTimestamp(value),
});

/** Value sets enforced by CHECK constraints (lower case, as the legacy store wrote them). */
export const sessionStatuses = ['active', 'ended', 'archived'] as const;
export const messageRoles = ['user', 'assistant', 'system'] as const;
export const feedbackTypes = ['helpful', 'unhelpful', 'incorrect', 'partially_correct', 'missing_info'] as const;
export const severities = ['critical', 'high', 'medium', 'low'] as const;
export const documentStatuses = ['pending', 'processing', 'completed', 'failed'] as const;
export const layers = ['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION'] as const;
export const userRoles = ['patient', 'clinician', 'analyst', 'service', 'admin'] as const;

export type SessionStatus = (typeof sessionStatuses)[number];
export type MessageRole = (typeof messageRoles)[number];
export type FeedbackType = (typeof feedbackTypes)[number];
export type Severity = (typeof severities)[number];
export type DocumentStatus = (typeof documentStatuses)[number];

/** `'a', 'b'` for a CHECK ... IN (...) list; the values are constants above, never user input. */
export const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');
