import neo4j, { isDate, isDateTime, isDuration, isLocalDateTime, isLocalTime, isTime } from 'neo4j-driver';

/**
 * Neo4j property values as JSON that keeps their type: an integer stays an integer (not a
 * float), a DateTime a DateTime with its offset or zone, a LocalDateTime a LocalDateTime.
 * Export tools that turn temporal values into strings are the known way to lose data here.
 */
export type TypedValue =
  | { t: 'string'; v: string }
  | { t: 'boolean'; v: boolean }
  | { t: 'integer'; v: string }
  | { t: 'float'; v: number | 'NaN' | 'Infinity' | '-Infinity' }
  | { t: 'datetime' | 'localdatetime' | 'date' | 'time' | 'localtime'; v: Record<string, number | string> }
  | { t: 'duration'; v: { months: string; days: string; seconds: string; nanoseconds: string } }
  | { t: 'list'; v: TypedValue[] };

const numberOf = (value: unknown) => neo4j.integer.toNumber(value as number);
const fields = (value: object, names: readonly string[]) => Object.fromEntries(names.flatMap((name) => {
  const field = (value as Record<string, unknown>)[name];
  return field === undefined || field === null ? [] : [[name, typeof field === 'string' ? field : numberOf(field)]];
}));
const dateFields = ['year', 'month', 'day'] as const;
const timeFields = ['hour', 'minute', 'second', 'nanosecond'] as const;

/** Throws for a value Neo4j stores that the archive does not know (points): the archive refuses rather than loses it. */
export function encodeValue(value: unknown, where: string): TypedValue {
  if (typeof value === 'string') return { t: 'string', v: value };
  if (typeof value === 'boolean') return { t: 'boolean', v: value };
  if (neo4j.isInt(value)) return { t: 'integer', v: value.toString() };
  if (typeof value === 'number') return { t: 'float', v: Number.isFinite(value) ? value : (String(value) as 'NaN') };
  if (isDateTime(value)) return { t: 'datetime', v: fields(value, [...dateFields, ...timeFields, 'timeZoneOffsetSeconds', 'timeZoneId']) };
  if (isLocalDateTime(value)) return { t: 'localdatetime', v: fields(value, [...dateFields, ...timeFields]) };
  if (isDate(value)) return { t: 'date', v: fields(value, dateFields) };
  if (isTime(value)) return { t: 'time', v: fields(value, [...timeFields, 'timeZoneOffsetSeconds']) };
  if (isLocalTime(value)) return { t: 'localtime', v: fields(value, timeFields) };
  if (isDuration(value)) return { t: 'duration', v: { months: value.months.toString(), days: value.days.toString(), seconds: value.seconds.toString(), nanoseconds: value.nanoseconds.toString() } };
  if (Array.isArray(value)) return { t: 'list', v: value.map((item, index) => encodeValue(item, `${where}[${index}]`)) };
  throw new Error(`${where}: a value of a type the archive does not keep`);
}

const part = (value: Record<string, number | string>, name: string) => Number(value[name] ?? 0);

/** The value to give the driver as a parameter, so Neo4j stores it with the type it had. */
export function decodeValue(typed: TypedValue): unknown {
  switch (typed.t) {
    case 'string':
    case 'boolean':
      return typed.v;
    case 'integer':
      return neo4j.int(typed.v);
    case 'float':
      return typeof typed.v === 'number' ? typed.v : Number(typed.v);
    case 'datetime': {
      const zone = typeof typed.v.timeZoneId === 'string' ? typed.v.timeZoneId : undefined;
      const offset = zone === undefined ? part(typed.v, 'timeZoneOffsetSeconds') : undefined;
      return new neo4j.types.DateTime(part(typed.v, 'year'), part(typed.v, 'month'), part(typed.v, 'day'), part(typed.v, 'hour'), part(typed.v, 'minute'), part(typed.v, 'second'), part(typed.v, 'nanosecond'), offset, zone);
    }
    case 'localdatetime':
      return new neo4j.types.LocalDateTime(part(typed.v, 'year'), part(typed.v, 'month'), part(typed.v, 'day'), part(typed.v, 'hour'), part(typed.v, 'minute'), part(typed.v, 'second'), part(typed.v, 'nanosecond'));
    case 'date':
      return new neo4j.types.Date(part(typed.v, 'year'), part(typed.v, 'month'), part(typed.v, 'day'));
    case 'time':
      return new neo4j.types.Time(part(typed.v, 'hour'), part(typed.v, 'minute'), part(typed.v, 'second'), part(typed.v, 'nanosecond'), part(typed.v, 'timeZoneOffsetSeconds'));
    case 'localtime':
      return new neo4j.types.LocalTime(part(typed.v, 'hour'), part(typed.v, 'minute'), part(typed.v, 'second'), part(typed.v, 'nanosecond'));
    case 'duration':
      return new neo4j.types.Duration(neo4j.int(typed.v.months), neo4j.int(typed.v.days), neo4j.int(typed.v.seconds), neo4j.int(typed.v.nanoseconds));
    case 'list':
      return typed.v.map(decodeValue);
  }
}

export function encodeProperties(properties: Record<string, unknown>, where: string): Record<string, TypedValue> {
  return Object.fromEntries(Object.keys(properties).sort().map((key) => [key, encodeValue(properties[key], `${where}.${key}`)]));
}

export function decodeProperties(properties: Record<string, TypedValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, decodeValue(value)]));
}
