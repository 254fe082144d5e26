import { offsetsAtInstant, timeZoneOffsets, zonelessIso } from '../../lib/precise-time.js';
import { timestampReader, type TimestampReader } from './values.js';

/**
 * How the legacy application wrote and read times: zone-less ISO strings with microseconds,
 * wall times in LEGACY_TIMEZONE. One per process, shared by every reader and writer.
 */
export interface LegacyFormat {
  timeZone: string;
  readTime: TimestampReader;
  writeTime(date: Date): string;
}

export function legacyFormat(timeZone: string): LegacyFormat {
  // both are checked once here: an unknown zone fails at start-up, not on the first write
  timeZoneOffsets(timeZone);
  const offsetAt = offsetsAtInstant(timeZone);
  return { timeZone, readTime: timestampReader(timeZone), writeTime: (date) => zonelessIso(date, offsetAt) };
}
