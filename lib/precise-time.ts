/**
 * Instants with microseconds. PostgreSQL keeps microseconds and the legacy store wrote them
 * (`2026-01-14T09:31:02.123456`); a JavaScript Date keeps milliseconds. A PreciseDate is a Date
 * (what the API shows, to the millisecond) that also remembers the instant to the microsecond,
 * so a migrated value is stored exactly and keyset cursors compare like the database does.
 */
export class PreciseDate extends Date {
  private exactText: string | undefined;

  private constructor(
    milliseconds: number,
    private readonly microsOfMilli: number,
  ) {
    super(milliseconds);
  }

  /** ISO-8601 in UTC with six fraction digits, e.g. `2026-01-14T09:31:02.123456Z`. */
  get exact(): string {
    // written on first use: most instants read from a store are only ever shown to the millisecond
    return (this.exactText ??= `${this.toISOString().slice(0, 23)}${String(this.microsOfMilli).padStart(3, '0')}Z`);
  }

  /** The instant `milliseconds` plus `microsOfMilli` (0..999) microseconds. */
  static of(milliseconds: number, microsOfMilli = 0): PreciseDate {
    if (!Number.isInteger(microsOfMilli) || microsOfMilli < 0 || microsOfMilli > 999) throw new RangeError(`microsOfMilli must be 0..999, got ${microsOfMilli}`);
    return new PreciseDate(milliseconds, microsOfMilli);
  }
}

/** The instant to the microsecond as ISO-8601 UTC with six fraction digits. */
export function exactIso(date: Date): string {
  if (date instanceof PreciseDate) return date.exact;
  return `${date.toISOString().slice(0, 23)}000Z`;
}

/** Orders instants to the microsecond (exact ISO strings of years 0001..9999 sort chronologically). */
export function compareInstants(a: Date, b: Date): number {
  const left = exactIso(a);
  const right = exactIso(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A parsed timestamp and the digits below the microsecond it had (which a microsecond store cannot keep). */
export interface ParsedInstant {
  instant: PreciseDate;
  /** Non-zero digits below the microsecond were present (e.g. Neo4j's nanoseconds). */
  submicrosecondLost: boolean;
}

const timestampPattern = /^(-?\d{4,6})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d(?::?\d\d(?::?\d\d)?)?)?$/i;

/**
 * Reads an ISO-8601 timestamp (PostgreSQL's text form too: `2026-01-14 09:31:02.123456+00`).
 * Without a zone it is local time in `zoneless`: a function from the local wall time (as if
 * UTC, in ms) to the zone's offset in ms. Undefined when the text is not such a timestamp.
 */
export function parseInstant(text: string, zoneless?: (wallTimeMs: number) => number): ParsedInstant | undefined {
  const match = timestampPattern.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
  const wall = utcMilliseconds(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second));
  if (Number.isNaN(wall) || !sameWallTime(wall, Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second))) return undefined;
  let offsetMs: number;
  if (zone === undefined) {
    if (!zoneless) return undefined;
    offsetMs = zoneless(wall);
  } else {
    offsetMs = zoneOffsetMs(zone);
  }
  const digits = fraction.padEnd(9, '0');
  const milliseconds = wall - offsetMs + Number(digits.slice(0, 3));
  const instant = PreciseDate.of(milliseconds, Number(digits.slice(3, 6)));
  return Number.isNaN(instant.getTime()) ? undefined : { instant, submicrosecondLost: Number(digits.slice(6)) !== 0 };
}

/** PostgreSQL's text for a timestamptz (drizzle hands it over raw), as a PreciseDate. */
export function parseStoredTimestamp(value: string | Date): PreciseDate {
  if (value instanceof PreciseDate) return value;
  if (value instanceof Date) return PreciseDate.of(value.getTime());
  const utc = parseUtcStoredTimestamp(value);
  if (utc) return utc;
  const parsed = parseInstant(value);
  if (!parsed) throw new Error(`Unreadable timestamp from PostgreSQL: ${value}`);
  return parsed.instant;
}

// at module level: closures made per call cost a defineProperty each under tsx (esbuild's keepNames)
const digitPair = (text: string, at: number): number => (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;

const storedUtcPattern = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?\+00$/;

/**
 * What a session in UTC receives for every timestamptz (`2026-01-14 09:31:02.123456+00`), read by
 * position: operations reads thousands a second. PostgreSQL writes only real dates, so the checks
 * parseInstant makes for texts from elsewhere are not needed. Undefined for any other text.
 */
function parseUtcStoredTimestamp(text: string): PreciseDate | undefined {
  if (!storedUtcPattern.test(text)) return undefined;
  const milliseconds = utcMilliseconds(
    digitPair(text, 0) * 100 + digitPair(text, 2), digitPair(text, 5), digitPair(text, 8), digitPair(text, 11), digitPair(text, 14), digitPair(text, 17),
  );
  // the fraction's digits sit between the seconds (position 19) and the zone (the last 3 characters)
  const fraction = text.length > 22 ? Number(text.slice(20, -3).padEnd(6, '0')) : 0;
  return PreciseDate.of(milliseconds + Math.floor(fraction / 1000), fraction % 1000);
}

/** `Z`, `+01`, `+0530`, `-05:00`, `+00:53:28` as milliseconds east of UTC. */
function zoneOffsetMs(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(/:/g, '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || '0');
  const seconds = Number(digits.slice(4, 6) || '0');
  return sign * ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

/** Date.UTC's instant of a wall time in UTC (month 1..12), for the years 0 to 99 too (which Date.UTC takes as 1900 to 1999). */
function utcMilliseconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second));
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** Date.UTC rolls 2026-02-30 over to March: such a text is not a date. */
function sameWallTime(wall: number, year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  const date = new Date(wall);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
}

/** The offset (ms east of UTC) of an IANA time zone at an instant. */
export function offsetsAtInstant(timeZone: string): (utcMs: number) => number {
  if (timeZone === 'UTC') return () => 0;
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  // offsets change on quarter hours (since zones left local mean time, before 1900): one
  // lookup a quarter hour, remembered, keeps reading hundreds of thousands of times cheap
  const quarter = 900_000;
  const known = new Map<number, number>();
  return (utcMs) => {
    const bucket = Math.floor(utcMs / quarter);
    const cached = known.get(bucket);
    if (cached !== undefined) return cached;
    const whole = bucket * quarter;
    const parts = Object.fromEntries(format.formatToParts(new Date(whole)).map((part) => [part.type, part.value]));
    const offset = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - whole;
    if (known.size > 100_000) known.clear();
    known.set(bucket, offset);
    return offset;
  };
}

/**
 * The offset of an IANA time zone at a local wall time, for zone-less legacy timestamps. In an
 * overlap (clocks set back) the earlier instant is meant; in a gap (clocks set forward) the
 * offset from before the change applies, as Temporal's "compatible" disambiguation does.
 */
export function timeZoneOffsets(timeZone: string): (wallTimeMs: number) => number {
  const offsetAt = offsetsAtInstant(timeZone);
  const day = 86_400_000;
  return (wallTimeMs) => {
    const before = offsetAt(wallTimeMs - day);
    const after = offsetAt(wallTimeMs + day);
    const fits = (offset: number) => offsetAt(wallTimeMs - offset) === offset;
    // the larger offset gives the earlier instant
    const valid = [before, after].filter(fits).sort((a, b) => b - a);
    return valid[0] ?? before;
  };
}

/** The wall time of an instant in a zone, zone-less with six fraction digits (`2026-01-14T09:31:02.123456`), as the legacy application wrote times. */
export function zonelessIso(date: Date, offsetAt: (utcMs: number) => number): string {
  const exact = exactIso(date);
  const shifted = new Date(date.getTime() + offsetAt(date.getTime())).toISOString();
  return `${shifted.slice(0, 23)}${exact.slice(23, 26)}`;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

let lastIssuedMicros = 0;

/**
 * Now, to the microsecond, strictly later than the last value this process issued: two writes
 * in the same millisecond still get distinct, ordered times.
 */
export function preciseNow(): PreciseDate {
  const micros = Math.max(Date.now() * 1000, lastIssuedMicros + 1);
  lastIssuedMicros = micros;
  return fromEpochMicros(micros);
}

/** The later of `date` and `after` plus one microsecond: times that keep an order. */
export function notBefore(date: PreciseDate, after: Date): PreciseDate {
  const next = epochMicros(after) + 1;
  return epochMicros(date) >= next ? date : fromEpochMicros(next);
}

function epochMicros(date: Date): number {
  return date.getTime() * 1000 + Number(exactIso(date).slice(23, 26));
}

function fromEpochMicros(micros: number): PreciseDate {
  const milliseconds = Math.floor(micros / 1000);
  return PreciseDate.of(milliseconds, micros - milliseconds * 1000);
}
