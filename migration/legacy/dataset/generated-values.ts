import neo4j from 'neo4j-driver';
import type { Random } from '../../../lib/seeded-random.js';

/** Values of generated legacy records: ids in both formats, times as the legacy application wrote them. */

export const hex = (random: Random, length: number) => Array.from({ length }, () => Math.floor(random.next() * 16).toString(16)).join('');
export const uuid = (random: Random) => `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${'89ab'[random.int(0, 3)]}${hex(random, 3)}-${hex(random, 12)}`;
export const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** A zone-less ISO string with microseconds, as the legacy application wrote local times. */
export function localIso(ms: number, micro: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}${pad(micro, 3)}`;
}

/** What Cypher's `datetime()` stored: a UTC DateTime. */
export function dateTime(ms: number, micro: number) {
  const date = new Date(ms);
  return new neo4j.types.DateTime(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds() * 1_000_000 + micro * 1000, 0);
}

export const topics = ['joint pain in the morning', 'a rash on both elbows', 'fatigue after methotrexate', 'dry eyes and mouth', 'mouth ulcers that come back', 'abdominal pain and diarrhoea', 'a flare after stopping prednisone'];
