import neo4j, { isDate, isDateTime, isLocalDateTime } from 'neo4j-driver';
import { PreciseDate, parseInstant, timeZoneOffsets } from '../../lib/precise-time.js';

/**
 * Reading property values as the legacy application left them: timestamps as zone-less ISO
 * strings or Neo4j DateTimes, lists as JSON strings or lists, integers as Neo4j Integers.
 * Each reader returns the value or a Problem naming why it cannot be read; never a guess.
 */

/** Why one field of a legacy record cannot move as it is. */
export interface Problem {
  field: string;
  reason: string;
}

export type Read<T> = { ok: true; value: T } | { ok: false; problem: Problem };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const refuse = <T>(field: string, reason: string): Read<T> => ({ ok: false, problem: { field, reason } });

/** What a value is, for a reason text (never the value itself: it may be medical content). */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'missing';
  if (neo4j.isInt(value)) return 'an integer';
  if (isDateTime(value)) return 'a DateTime';
  if (isLocalDateTime(value)) return 'a LocalDateTime';
  if (isDate(value)) return 'a Date';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** Reads legacy timestamps; zone-less ones are wall times in the legacy zone. */
export function timestampReader(timeZone: string) {
  const zoneless = timeZoneOffsets(timeZone);
  return (field: string, value: unknown): Read<PreciseDate> => {
    if (typeof value === 'string') {
      const parsed = parseInstant(value, zoneless);
      if (!parsed) return refuse(field, 'is not an ISO-8601 timestamp');
      if (parsed.submicrosecondLost) return refuse(field, 'has digits below the microsecond, which PostgreSQL cannot keep');
      return ok(parsed.instant);
    }
    if (isDateTime(value) || isLocalDateTime(value)) {
      const nanosecond = toNumber(value.nanosecond);
      if (nanosecond % 1000 !== 0) return refuse(field, 'has digits below the microsecond, which PostgreSQL cannot keep');
      const wall = Date.UTC(toNumber(value.year), toNumber(value.month) - 1, toNumber(value.day), toNumber(value.hour), toNumber(value.minute), toNumber(value.second));
      const offsetMs = isDateTime(value) ? dateTimeOffsetMs(value, wall) : zoneless(wall);
      return ok(PreciseDate.of(wall - offsetMs + Math.floor(nanosecond / 1_000_000), Math.floor(nanosecond / 1000) % 1000));
    }
    return refuse(field, `is ${describeType(value)}, not a timestamp`);
  };
}

function dateTimeOffsetMs(value: { timeZoneOffsetSeconds?: unknown; timeZoneId?: string | undefined }, wall: number): number {
  if (value.timeZoneOffsetSeconds !== undefined && value.timeZoneOffsetSeconds !== null) return toNumber(value.timeZoneOffsetSeconds) * 1000;
  return timeZoneOffsets(value.timeZoneId ?? 'UTC')(wall);
}

export type TimestampReader = ReturnType<typeof timestampReader>;

/** A required timestamp, or an optional one (missing or null gives null). */
export function optionalTimestamp(read: TimestampReader, field: string, value: unknown): Read<PreciseDate | null> {
  return value === null || value === undefined ? ok(null) : read(field, value);
}

// Neo4j strings may hold NUL characters; PostgreSQL text never can
const text = (field: string, value: string): Read<string> => (value.includes('\u0000') ? refuse(field, 'holds a NUL character, which PostgreSQL text cannot store') : ok(value));

/** Text or nothing: missing and null give null; anything else but a string is a problem. */
export function optionalText(field: string, value: unknown): Read<string | null> {
  if (value === null || value === undefined) return ok(null);
  return typeof value === 'string' ? text(field, value) : refuse(field, `is ${describeType(value)}, not text`);
}

export function requiredText(field: string, value: unknown): Read<string> {
  if (typeof value === 'string') return text(field, value);
  return refuse(field, value === null || value === undefined ? 'is missing' : `is ${describeType(value)}, not text`);
}

/**
 * A value of an enumeration the API serves (a session's status, a message's role...): another
 * value could be stored in legacy but never answered, so it is a problem (the value itself is
 * not repeated: the reason names what it may be).
 */
export function oneOf<T extends string>(field: string, read: Read<string | null>, allowed: readonly T[]): Read<T | null> {
  if (!read.ok || read.value === null) return read as Read<T | null>;
  return (allowed as readonly string[]).includes(read.value) ? ok(read.value as T) : refuse(field, `is not one of ${allowed.join(', ')}`);
}

/** A number (Neo4j Integer or float) or nothing. */
export function optionalNumber(field: string, value: unknown): Read<number | null> {
  if (value === null || value === undefined) return ok(null);
  if (neo4j.isInt(value)) return ok(value.toNumber());
  if (typeof value === 'number' && Number.isFinite(value)) return ok(value);
  return refuse(field, `is ${describeType(value)}, not a number`);
}

/** A list stored as a list or as a JSON-encoded string of a list; missing or null gives []. */
export function jsonList(field: string, value: unknown): Read<unknown[]> {
  if (value === null || value === undefined) return ok([]);
  if (Array.isArray(value)) return ok(value.map(plainValue));
  if (typeof value !== 'string') return refuse(field, `is ${describeType(value)}, not a list`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return refuse(field, 'is text that is not JSON');
  }
  if (parsed === null) return ok([]);
  return Array.isArray(parsed) ? ok(parsed) : refuse(field, 'is JSON that is not a list');
}

/** A list of strings (as a list or JSON string). */
export function stringList(field: string, value: unknown): Read<string[]> {
  const list = jsonList(field, value);
  if (!list.ok) return list;
  return list.value.every((item): item is string => typeof item === 'string') ? ok(list.value) : refuse(field, 'holds items that are not text');
}

/** Neo4j Integers inside lists become numbers (as the legacy application's JSON had them). */
function plainValue(value: unknown): unknown {
  return neo4j.isInt(value) ? value.toNumber() : value;
}

function toNumber(value: unknown): number {
  return neo4j.isInt(value) ? value.toNumber() : Number(value);
}

/** Collects the problems of many reads: `take` returns the value (undefined after a problem), `problems` what went wrong. */
export function fieldReader() {
  const problems: Problem[] = [];
  return {
    problems,
    take<T>(read: Read<T>): T | undefined {
      if (read.ok) return read.value;
      problems.push(read.problem);
      return undefined;
    },
  };
}
