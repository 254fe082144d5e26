import type { Driver } from 'neo4j-driver';
import { copyConversations, type MessageRow, type SessionRow } from '../../subgraphs/operations/store/index.js';
import type { LegacyFormat } from '../legacy/legacy-format.js';
import { readSessionMessages, type ConceptResolver, type LegacyMessage } from '../legacy/message-reads.js';
import { readSessionPage, type LegacySession } from '../legacy/session-reads.js';
import { countLegacyRecords } from '../legacy/record-counts.js';
import { unplacedRecords } from '../legacy/unplaced-records.js';
import type { ReportedRecord } from '../store/backfill-store.js';
import { writeBisecting, type BackfillDomain, type Transaction } from './backfill-domain.js';
import { refusalOf } from '../postgres-errors.js';

/**
 * Sessions with their messages, legacy → PostgreSQL. A page is written in one savepoint; when
 * PostgreSQL refuses a record of it, in halves down to the refused session (and then its
 * messages likewise), so exactly the refused records are reported and every other one moves. Rows
 * PostgreSQL already has are never overwritten: dual-write put a state there at least as new.
 */

interface SessionUnit {
  session: SessionRow;
  messages: MessageRow[];
}

interface SessionPage {
  units: SessionUnit[];
  read: number;
  reported: ReportedRecord[];
}

const reportOf = (kind: 'session' | 'message', record: LegacySession | LegacyMessage): ReportedRecord[] =>
  record.row ? [] : [{ recordKind: kind, recordId: record.id, fields: record.problems.map((problem) => problem.field), reason: record.problems.map((problem) => `${problem.field} ${problem.reason}`).join('; ') }];

const moves = (copied: { sessions: string[]; messages: string[] }[]) => copied.reduce((sum, one) => sum + one.sessions.length + one.messages.length, 0);

/** A refused unit: its session alone, then its messages (halved until the refused ones stand alone). */
async function copyRefusedUnit(tx: Transaction, unit: SessionUnit, reported: ReportedRecord[]): Promise<number> {
  const session = await writeBisecting(tx, [unit.session], (sp, rows) => copyConversations(sp, rows, []), (row, error) => reported.push(refusalOf(error, { recordKind: 'session', recordId: row.id })));
  if (session.length === 0) {
    for (const message of unit.messages) reported.push({ recordKind: 'message', recordId: message.id, fields: ['session'], reason: `its session ${unit.session.id} was refused` });
    return 0;
  }
  const messages = await writeBisecting(tx, unit.messages, (sp, rows) => copyConversations(sp, [], rows), (row, error) => reported.push(refusalOf(error, { recordKind: 'message', recordId: row.id })));
  return moves([...session, ...messages]);
}

export function sessionBackfill(driver: Driver, format: LegacyFormat, resolveConcepts: ConceptResolver): BackfillDomain<SessionPage> {
  return {
    domain: 'sessions',
    countLegacy: async () => {
      const counts = await countLegacyRecords(driver);
      return counts.sessions + counts.messages;
    },
    readPage: async (after, size) => {
      const read = await readSessionPage(driver, after, size, format.readTime);
      if (!read) return undefined;
      const messages = await readSessionMessages(driver, read.sessions.map((session) => session.id), format, resolveConcepts);
      const bySession = new Map<string, MessageRow[]>();
      for (const message of messages) if (message.row) bySession.set(message.row.sessionId, [...(bySession.get(message.row.sessionId) ?? []), message.row]);
      const reported = [...read.sessions.flatMap((session) => reportOf('session', session)), ...messages.flatMap((message) => reportOf('message', message))];
      const units: SessionUnit[] = [];
      for (const session of read.sessions) {
        if (session.row) units.push({ session: session.row, messages: bySession.get(session.id) ?? [] });
        else for (const message of bySession.get(session.id) ?? []) reported.push({ recordKind: 'message', recordId: message.id, fields: ['session'], reason: `its session ${session.id} cannot move` });
      }
      return { page: { units, read: read.sessions.length + messages.length, reported }, lastKey: read.lastKey };
    },
    writePage: async (tx, page) => {
      const reported = [...page.reported];
      const refusedUnits: SessionUnit[] = [];
      const copied = await writeBisecting(tx, page.units, (sp, units) => copyConversations(sp, units.map((unit) => unit.session), units.flatMap((unit) => unit.messages)), (unit, error) => {
        refusalOf(error, { recordKind: 'session', recordId: unit.session.id });
        refusedUnits.push(unit);
      });
      let moved = moves(copied);
      for (const unit of refusedUnits) moved += await copyRefusedUnit(tx, unit, reported);
      const offered = page.units.reduce((sum, unit) => sum + 1 + unit.messages.length, 0);
      const refused = reported.length - page.reported.length;
      return { read: page.read, moved, unchanged: offered - moved - refused, reported };
    },
    unplaced: () => unplacedRecords(driver, 'sessions'),
  };
}
