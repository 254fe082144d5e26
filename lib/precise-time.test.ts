import { describe, expect, it } from 'vitest';
import { PreciseDate, compareInstants, exactIso, isKnownTimeZone, parseInstant, parseStoredTimestamp, timeZoneOffsets } from './precise-time.js';

const utc = () => 0;

describe('precise time', () => {
  it('keeps microseconds that a Date drops', () => {
    const parsed = parseInstant('2026-01-14T09:31:02.123456', utc);
    expect(parsed?.instant.exact).toBe('2026-01-14T09:31:02.123456Z');
    expect(parsed?.instant.toISOString()).toBe('2026-01-14T09:31:02.123Z');
    expect(parsed?.submicrosecondLost).toBe(false);
  });

  it('reads PostgreSQL text and offsets', () => {
    expect(parseStoredTimestamp('2026-01-14 09:31:02.123456+00').exact).toBe('2026-01-14T09:31:02.123456Z');
    expect(parseStoredTimestamp('2026-01-14 10:31:02.5+01').exact).toBe('2026-01-14T09:31:02.500000Z');
    expect(parseStoredTimestamp('2026-01-14 15:01:02+05:30').exact).toBe('2026-01-14T09:31:02.000000Z');
    expect(() => parseStoredTimestamp('infinity')).toThrow(/Unreadable/);
  });

  it('says when digits below the microsecond are lost', () => {
    expect(parseInstant('2026-01-14T09:31:02.123456789Z')?.submicrosecondLost).toBe(true);
    expect(parseInstant('2026-01-14T09:31:02.123456000Z')?.submicrosecondLost).toBe(false);
  });

  it('refuses what is not a timestamp, or a zone-less one without a zone to read it in', () => {
    expect(parseInstant('yesterday', utc)).toBeUndefined();
    expect(parseInstant('2026-02-30T10:00:00', utc)).toBeUndefined();
    expect(parseInstant('2026-01-14T09:31:02')).toBeUndefined();
  });

  it('orders to the microsecond', () => {
    const a = PreciseDate.of(Date.UTC(2026, 0, 1), 1);
    const b = PreciseDate.of(Date.UTC(2026, 0, 1), 2);
    expect(compareInstants(a, b)).toBe(-1);
    expect(compareInstants(b, new Date(Date.UTC(2026, 0, 1)))).toBe(1);
    expect(exactIso(new Date(Date.UTC(2026, 0, 1)))).toBe('2026-01-01T00:00:00.000000Z');
  });

  it('reads zone-less times in an IANA zone, across daylight-saving changes', () => {
    const berlin = timeZoneOffsets('Europe/Berlin');
    expect(parseInstant('2026-01-14T09:00:00', berlin)?.instant.exact).toBe('2026-01-14T08:00:00.000000Z');
    expect(parseInstant('2026-07-14T09:00:00', berlin)?.instant.exact).toBe('2026-07-14T07:00:00.000000Z');
    // 02:30 on 29 March 2026 does not exist in Berlin: read with the winter offset
    expect(parseInstant('2026-03-29T02:30:00', berlin)?.instant.exact).toBe('2026-03-29T01:30:00.000000Z');
    // 02:30 on 25 October 2026 happens twice: the earlier one
    expect(parseInstant('2026-10-25T02:30:00', berlin)?.instant.exact).toBe('2026-10-25T00:30:00.000000Z');
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});
