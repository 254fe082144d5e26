import type { Driver } from 'neo4j-driver';
import { copyFeedback, findSessionsByIds, type FeedbackRow } from '../../subgraphs/operations/store/index.js';
import { readFeedbackPage } from '../legacy/feedback-nodes.js';
import type { LegacyFormat } from '../legacy/legacy-format.js';
import { countLegacyRecords } from '../legacy/record-counts.js';
import { existingSessionIds } from '../legacy/session-reads.js';
import { unplacedRecords } from '../legacy/unplaced-records.js';
import type { ReportedRecord } from '../store/backfill-store.js';
import { writeBisecting, type BackfillDomain } from './backfill-domain.js';
import { refusalOf } from '../postgres-errors.js';

/**
 * Feedback, legacy → PostgreSQL, with the preference pairs each gives. Feedback about a session
 * that no longer exists moves without it (and is reported: its session_id is not kept); feedback
 * about a session PostgreSQL does not have yet is reported and moves on a later run, after the
 * sessions' backfill. Events are not sent again: the legacy application already applied each
 * feedback to the knowledge graph.
 */

interface FeedbackPage {
  rows: FeedbackRow[];
  read: number;
  reported: ReportedRecord[];
}

const deletedSessionReason = 'names a session that no longer exists: moved without it';

export function feedbackBackfill(driver: Driver, format: LegacyFormat): BackfillDomain<FeedbackPage> {
  return {
    domain: 'feedback',
    countLegacy: async () => (await countLegacyRecords(driver)).feedback,
    readPage: async (after, size) => {
      const read = await readFeedbackPage(driver, after, size, format);
      if (!read) return undefined;
      const reported: ReportedRecord[] = [];
      const rows: FeedbackRow[] = [];
      for (const feedback of read.feedback) {
        if (feedback.row) rows.push(feedback.row);
        else reported.push({ recordKind: 'feedback', recordId: feedback.id, fields: feedback.problems.map((problem) => problem.field), reason: feedback.problems.map((problem) => `${problem.field} ${problem.reason}`).join('; ') });
      }
      const named = rows.flatMap((row) => (row.sessionId ? [row.sessionId] : []));
      const inLegacy = await existingSessionIds(driver, named);
      const page: FeedbackPage = { rows: [], read: read.feedback.length, reported };
      for (const row of rows) {
        if (row.sessionId && !inLegacy.has(row.sessionId)) {
          page.reported.push({ recordKind: 'feedback', recordId: row.id, fields: ['session_id'], reason: deletedSessionReason });
          page.rows.push({ ...row, sessionId: null });
        } else page.rows.push(row);
      }
      return { page, lastKey: read.lastKey };
    },
    writePage: async (tx, page) => {
      const present = new Set((await findSessionsByIds(tx, page.rows.flatMap((row) => (row.sessionId ? [row.sessionId] : [])))).map((session) => session.id));
      const reported = [...page.reported];
      const ready = page.rows.filter((row) => {
        if (!row.sessionId || present.has(row.sessionId)) return true;
        reported.push({ recordKind: 'feedback', recordId: row.id, fields: ['session_id'], reason: 'its session is not in PostgreSQL: the sessions backfill reported it, or has not moved it yet (run it, then this again)' });
        return false;
      });
      const copied = await writeBisecting(tx, ready, copyFeedback, (row, error) => {
        // refused: it did not move, with or without its session
        const movedWithout = reported.findIndex((record) => record.recordId === row.id && record.reason === deletedSessionReason);
        if (movedWithout >= 0) reported.splice(movedWithout, 1);
        reported.push(refusalOf(error, { recordKind: 'feedback', recordId: row.id }));
      });
      const moved = copied.reduce((sum, ids) => sum + ids.length, 0);
      const refused = reported.filter((record) => record.reason.startsWith('PostgreSQL refused')).length;
      const unchanged = ready.length - moved - refused;
      return { read: page.read, moved, unchanged, reported };
    },
    unplaced: () => unplacedRecords(driver, 'feedback'),
  };
}
