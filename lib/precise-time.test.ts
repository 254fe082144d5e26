import { describe, expect, it } from 'vitest';
import { PreciseDate, compareInstants, exactIso, isKnownTimeZone, notBefore, offsetsAtInstant, parseInstant, preciseNow, parseStoredTimestamp, timeZoneOffsets, zonelessIso } from './precise-time.js';

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

  it('reads PostgreSQL text in UTC by position exactly as the general reader does', () => {
    const texts = ['2026-01-14 09:31:02+00', '0099-12-31 23:59:59.9+00', '1970-01-01 00:00:00.000001+00', '1969-12-31 23:59:59.999999+00', '2024-02-29 12:00:00.12+00', '9999-12-31 23:59:59.123456+00'];
    for (const fraction of ['1', '12', '123', '1234', '12345', '123456', '000999']) texts.push(`2026-07-01 08:05:09.${fraction}+00`);
    for (const text of texts) {
      const stored = parseStoredTimestamp(text);
      const general = parseInstant(text)?.instant;
      expect([text, stored.exact, stored.getTime()]).toEqual([text, general?.exact, general?.getTime()]);
    }
    expect(parseStoredTimestamp('0099-12-31 23:59:59.9+00').exact).toBe('0099-12-31T23:59:59.900000Z');
    // five-digit years and dates before the common era are left to the general reader
    expect(parseStoredTimestamp('10000-01-01 00:00:00+00').exact).toBe(parseInstant('10000-01-01 00:00:00+00')?.instant.exact);
    expect(() => parseStoredTimestamp('2026-01-14 09:31:02+00 BC')).toThrow(/Unreadable/);
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

describe('zone-less wall times', () => {
  it('writes what it reads back', () => {
    const instant = parseInstant('2026-07-14T07:00:00.123456Z')!.instant;
    const berlin = zonelessIso(instant, offsetsAtInstant('Europe/Berlin'));
    expect(berlin).toBe('2026-07-14T09:00:00.123456');
    expect(parseInstant(berlin, timeZoneOffsets('Europe/Berlin'))?.instant.exact).toBe(instant.exact);
    expect(zonelessIso(instant, offsetsAtInstant('UTC'))).toBe('2026-07-14T07:00:00.123456');
  });
});

describe('ordered times', () => {
  it('issues strictly increasing instants and keeps an order after a given one', () => {
    const issued = Array.from({ length: 1000 }, () => preciseNow());
    for (let index = 1; index < issued.length; index += 1) expect(compareInstants(issued[index - 1]!, issued[index]!)).toBe(-1);
    const future = PreciseDate.of(Date.now() + 60_000, 999);
    expect(notBefore(preciseNow(), future).exact).toBe(PreciseDate.of(future.getTime() + 1, 0).exact);
    const now = preciseNow();
    expect(notBefore(now, new Date(0))).toBe(now);
  });
});
