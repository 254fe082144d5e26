import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from './typed-values.js';

describe('typed archive values', () => {
  it.each([
    ['text', 'IgA vasculitis'],
    ['an integer', neo4j.int('9007199254740993')],
    ['a float', 0.85],
    ['a boolean', false],
    ['a DateTime with an offset', new neo4j.types.DateTime(2026, 1, 14, 9, 31, 2, 123456000, 3600)],
    ['a DateTime in a zone', new neo4j.types.DateTime(2026, 3, 29, 2, 30, 0, 0, undefined, 'Europe/Berlin')],
    ['a LocalDateTime', new neo4j.types.LocalDateTime(2026, 1, 14, 9, 31, 2, 123456000)],
    ['a Date', new neo4j.types.Date(2026, 1, 14)],
    ['a list of strings', ['retrieve', 'rank']],
    ['a Duration', new neo4j.types.Duration(1, 2, 3, 4)],
  ])('keeps %s as it was', (_name, value) => {
    const typed = encodeValue(value, 'node.property');
    const back = decodeValue(JSON.parse(JSON.stringify(typed)));
    expect(encodeValue(back, 'node.property')).toEqual(typed);
    expect(String(back)).toBe(String(value));
  });

  it('tells an integer from a float with the same value', () => {
    expect(encodeValue(neo4j.int(5), 'f.rating')).toEqual({ t: 'integer', v: '5' });
    expect(encodeValue(5, 'f.rating')).toEqual({ t: 'float', v: 5 });
  });

  it('refuses a value it cannot keep, naming where it is', () => {
    expect(() => encodeValue(new neo4j.types.Point(7203, 1, 2), 'Message.location')).toThrow('Message.location: a value of a type the archive does not keep');
  });
});
