import type { Driver } from 'neo4j-driver';
import {
  feedbackPage, findFeedbackByIds, findMessagesByIds, findSessionsByIds, messagePage, sessionPage, type Database, type FeedbackRow,
} from '../../subgraphs/operations/store/index.js';
import { readFeedbackByIds, readFeedbackPage, type LegacyFeedback } from '../legacy/feedback-nodes.js';
import type { LegacyFormat } from '../legacy/legacy-format.js';
import { readMessagesByIds, readSessionMessages, type ConceptResolver } from '../legacy/message-reads.js';
import { existingSessionIds, readSessionPage, readSessionsByIds } from '../legacy/session-reads.js';
import { unplacedRecords } from '../legacy/unplaced-records.js';
import type { MigrationDomain } from '../stages/stage-rules.js';
import type { ReportedRecord } from '../store/backfill-store.js';
import { documentSides } from './document-sides.js';
import { checksumOf, feedbackForm, messageForm, sessionForm, type RecordForm } from './record-forms.js';
import { emptySide, scanPostgres, unreadable, type DomainSides, type VerifiedStores } from './side-parts.js';

export type { DomainSides, StoreSide, VerifiedStores } from './side-parts.js';

/**
 * Each store's side of a domain for the verification: a checksum of every record's form, and
 * the forms of chosen records. Legacy records that cannot be read as rows are listed as
 * unreadable (the backfill reports the same ones); orphans among them are named as such.
 */

const pageSize = 1000;

/** Feedback naming a session legacy no longer has moves without it: compare it so. */
async function feedbackForms(driver: Driver, records: readonly LegacyFeedback[]): Promise<{ rows: FeedbackRow[]; unreadable: ReportedRecord[] }> {
  const rows = records.flatMap((record) => (record.row ? [record.row] : []));
  const sessions = await existingSessionIds(driver, rows.flatMap((row) => (row.sessionId ? [row.sessionId] : [])));
  return {
    rows: rows.map((row) => (row.sessionId && !sessions.has(row.sessionId) ? { ...row, sessionId: null } : row)),
    unreadable: records.flatMap((record) => (record.row ? [] : [unreadable('feedback', record)])),
  };
}

function sessionSides(db: Database, driver: Driver, format: LegacyFormat, resolveConcepts: ConceptResolver): DomainSides {
  return {
    kinds: ['session', 'message'],
    legacy: async () => {
      const side = emptySide();
      for (let after: string | null = null; ; ) {
        const page = await readSessionPage(driver, after, pageSize, format.readTime);
        if (!page) break;
        after = page.lastKey;
        for (const session of page.sessions) {
          if (session.row) side.checksums.session.set(session.id, checksumOf(sessionForm(session.row)));
          else side.unreadable.push(unreadable('session', session));
        }
        for (const message of await readSessionMessages(driver, page.sessions.map((session) => session.id), format, resolveConcepts)) {
          if (message.row) side.checksums.message.set(message.id, checksumOf(messageForm(message.row)));
          else side.unreadable.push(unreadable('message', message));
        }
      }
      side.unreadable.push(...(await unplacedRecords(driver, 'sessions')));
      return side;
    },
    postgres: async () => {
      const side = emptySide();
      await scanPostgres((after) => sessionPage(db, after, pageSize * 5), (row) => side.checksums.session.set(row.id, checksumOf(sessionForm(row))));
      await scanPostgres((after) => messagePage(db, after, pageSize * 5), (row) => side.checksums.message.set(row.id, checksumOf(messageForm(row))));
      return side;
    },
    forms: async (store, kind, ids) => {
      const forms = new Map<string, RecordForm>();
      if (kind === 'session') {
        const rows = store === 'postgres' ? await findSessionsByIds(db, ids) : (await readSessionsByIds(driver, ids, format.readTime)).flatMap((record) => (record.row ? [record.row] : []));
        for (const row of rows) forms.set(row.id, sessionForm(row));
      } else {
        const rows = store === 'postgres' ? await findMessagesByIds(db, ids) : (await readMessagesByIds(driver, ids, format, resolveConcepts)).flatMap((record) => (record.row ? [record.row] : []));
        for (const row of rows) forms.set(row.id, messageForm(row));
      }
      return forms;
    },
  };
}

function feedbackSides(db: Database, driver: Driver, format: LegacyFormat): DomainSides {
  return {
    kinds: ['feedback'],
    legacy: async () => {
      const side = emptySide();
      for (let after: string | null = null; ; ) {
        const page = await readFeedbackPage(driver, after, pageSize * 2, format);
        if (!page) break;
        after = page.lastKey;
        const read = await feedbackForms(driver, page.feedback);
        for (const row of read.rows) side.checksums.feedback.set(row.id, checksumOf(feedbackForm(row)));
        side.unreadable.push(...read.unreadable);
      }
      side.unreadable.push(...(await unplacedRecords(driver, 'feedback')));
      return side;
    },
    postgres: async () => {
      const side = emptySide();
      await scanPostgres((after) => feedbackPage(db, after, pageSize * 5), (row) => side.checksums.feedback.set(row.id, checksumOf(feedbackForm(row))));
      return side;
    },
    forms: async (store, _kind, ids) => {
      const rows = store === 'postgres' ? await findFeedbackByIds(db, ids) : (await feedbackForms(driver, await readFeedbackByIds(driver, ids, format))).rows;
      return new Map(rows.map((row) => [row.id, feedbackForm(row)]));
    },
  };
}

export function domainSides(domain: MigrationDomain, deps: VerifiedStores): DomainSides {
  if (domain === 'sessions') return sessionSides(deps.db, deps.legacy, deps.format, deps.resolveConcepts);
  if (domain === 'feedback') return feedbackSides(deps.db, deps.legacy, deps.format);
  return documentSides(deps);
}
