import type { Random } from '../../lib/seeded-random.js';

/** A session as the traffic sees it: whose it is, and whether messages may still be posted to it. */
export interface BenchSession {
  id: string;
  patientId: string;
  active: boolean;
  /** Responses of its assistant messages, for feedback. */
  responseIds: readonly string[];
}

/** Who sends a client's next request. */
export type Caller = { role: 'patient'; patientId: string } | { role: 'clinician'; id: string };

/** The next thing a client does. */
export type Step =
  | { kind: 'read'; caller: Caller; session: BenchSession }
  | { kind: 'postMessage'; caller: Caller; session: BenchSession }
  | { kind: 'submitFeedback'; caller: Caller; session: BenchSession; responseId: string };

/**
 * Draws ranks 0..size-1 with probability proportional to 1 / (rank + 1)^exponent (Zipf): a few
 * sessions are read very often, most rarely.
 */
export function createZipf(size: number, exponent: number, random: Random): () => number {
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let rank = 0; rank < size; rank += 1) cumulative[rank] = total += 1 / (rank + 1) ** exponent;
  return () => {
    const target = random.next() * total;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

export interface TrafficOptions {
  /** Clients that are patients (the rest are clinicians, one each for the whole run). */
  patientClients: number;
  /** How many reads a patient makes before the client's next caller is another patient. */
  readsPerVisit: number;
  /** Share of steps that are writes (half postMessage, half submitFeedback). */
  writeShare: number;
  /** Zipf exponent of session popularity. */
  skew: number;
}

/**
 * The request mix: every session has a seeded popularity rank. Clinician clients read any session
 * by popularity; a patient client is a stream of visits, each by a patient drawn at random who
 * reads only their own sessions (by the same popularity among them). `writeShare` of steps write
 * to the session drawn: a message when it is active, else feedback on one of its answers that this
 * caller has not rated yet (one rating per caller and answer); a read when neither is possible.
 */
export function createTraffic(sessions: readonly BenchSession[], options: TrafficOptions, random: Random) {
  const byPopularity = shuffle([...sessions], random);
  const patientIds = [...new Set(sessions.map((session) => session.patientId))].sort();
  const ownSessions = new Map(patientIds.map((id) => [id, byPopularity.filter((session) => session.patientId === id)]));
  const anySession = createZipf(byPopularity.length, options.skew, random);
  const ownSession = new Map([...ownSessions].map(([id, own]) => [id, createZipf(own.length, options.skew, random)]));
  const rated = new Set<string>();
  const callerKey = (caller: Caller) => (caller.role === 'patient' ? `patient:${caller.patientId}` : `clinician:${caller.id}`);

  const unratedResponse = (caller: Caller, session: BenchSession): string | undefined => {
    const responseId = session.responseIds.find((id) => !rated.has(`${callerKey(caller)}|${id}`));
    if (responseId) rated.add(`${callerKey(caller)}|${responseId}`);
    return responseId;
  };

  const step = (caller: Caller, session: BenchSession): Step => {
    if (random.next() >= options.writeShare) return { kind: 'read', caller, session };
    if (session.active && random.next() < 0.5) return { kind: 'postMessage', caller, session };
    const responseId = unratedResponse(caller, session);
    return responseId ? { kind: 'submitFeedback', caller, session, responseId } : { kind: 'read', caller, session };
  };

  /** The steps of client `index`, forever. */
  function* client(index: number): Generator<Step> {
    if (index >= options.patientClients) {
      const caller: Caller = { role: 'clinician', id: `bench-clinician-${index}` };
      for (;;) yield step(caller, byPopularity[anySession()] as BenchSession);
    }
    for (;;) {
      const patientId = random.pick(patientIds);
      const own = ownSessions.get(patientId) as BenchSession[];
      const draw = ownSession.get(patientId) as () => number;
      for (let read = 0; read < options.readsPerVisit; read += 1) yield step({ role: 'patient', patientId }, own[draw()] as BenchSession);
    }
  }
  return { client, patientIds };
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random.next() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}
