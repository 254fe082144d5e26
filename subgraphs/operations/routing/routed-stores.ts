import { compareInstants } from '../../../lib/precise-time.js';
import { readStore, stagePlan, type DomainStage, type MigrationDomain, type Store } from '../../../migration/stages/stage-rules.js';
import type { MessageRow } from '../store/index.js';
import type { ConversationStore, DocumentStore, FeedbackStore } from './ports.js';
import { routedDocuments } from './routed-documents.js';
import { compareRows, type ShadowReader } from './shadow-reads.js';

/** Both stores' implementations of the ports. */
export interface StoreSet {
  conversations: ConversationStore;
  feedback: FeedbackStore;
  documents: DocumentStore;
}

export interface RoutingOptions {
  /** The current stage of a domain (the stage watcher's). */
  stage(domain: MigrationDomain): DomainStage;
  postgres: StoreSet;
  legacy: StoreSet;
  shadow: ShadowReader;
  /** Applies what the other store committed for an aggregate to `into` now (the relay's catch-up). */
  catchUp(aggregate: string, into: Store): Promise<void>;
}

/** Fields only one store derives: never compared. */
const derivedFields = ['queryHash'];

const other = (store: Store): Store => (store === 'legacy' ? 'postgres' : 'legacy');

const chronological = (a: MessageRow, b: MessageRow) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0) || compareInstants(a.createdAt, b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The ports routed by migration stage (migration/stages/stage-rules.ts): writes to the
 * authoritative store (which records the change for the other one while they dual-write), reads
 * from the store the stage (and, at `live`, the patient's rollout bucket) names, compared with
 * the other store at `shadow` and `live`. The stage is looked up per call: a change takes
 * effect on the next request.
 */
export function routedStores(options: RoutingOptions): StoreSet {
  const stores = (store: Store) => (store === 'legacy' ? options.legacy : options.postgres);
  const authoritative = (domain: MigrationDomain) => stores(stagePlan(options.stage(domain).stage).authoritative);

  /**
   * A write to the store that decides. While replicas take up a change of authority (under a
   * second), a record written moments ago through one that still had the other store decide may
   * not have reached this one yet: then its aggregate is caught up first and the write retried.
   */
  async function decide<T>(domain: MigrationDomain, aggregate: string, write: (set: StoreSet) => Promise<T>): Promise<T> {
    const plan = stagePlan(options.stage(domain).stage);
    try {
      return await write(stores(plan.authoritative));
    } catch (error) {
      if (!plan.dualWrite || (error as { extensions?: { code?: unknown } }).extensions?.code !== 'NOT_FOUND') throw error;
      await options.catchUp(aggregate, plan.authoritative);
      return write(stores(plan.authoritative));
    }
  }

  /** A read of one patient's records: served by the patient's store, compared with the other while the stage says so. */
  async function patientRead<T>(domain: MigrationDomain, patientId: string, read: (set: StoreSet) => Promise<T>, compare: (served: T, other: T) => ReturnType<typeof compareRows>): Promise<T> {
    const stage = options.stage(domain);
    const store = readStore(stage, patientId);
    const served = await read(stores(store));
    if (stagePlan(stage.stage).compare) options.shadow.compare(domain, served, () => read(stores(other(store))), compare);
    return served;
  }

  /**
   * Records by id, whose patients are unknown before reading. During a rollout PostgreSQL
   * (authoritative, holding every record) is read first; the records of patients outside the
   * rollout are then served from the legacy store.
   */
  async function byIds<Row extends { id: string; patientId: string }>(domain: MigrationDomain, ids: readonly string[], read: (set: StoreSet, ids: readonly string[]) => Promise<Row[]>): Promise<Row[]> {
    const stage = options.stage(domain);
    const plan = stagePlan(stage.stage);
    const compare = (served: Row[], twin: Row[]) => compareRows(domain, served, twin, derivedFields);
    if (plan.reads !== 'rollout') {
      const served = await read(stores(plan.reads), ids);
      if (plan.compare) options.shadow.compare(domain, served, () => read(stores(other(plan.reads as Store)), ids), compare);
      return served;
    }
    const fromPostgres = await read(options.postgres, ids);
    const legacyServed = fromPostgres.filter((row) => readStore(stage, row.patientId) === 'legacy');
    const fromLegacy = legacyServed.length > 0 ? await read(options.legacy, legacyServed.map((row) => row.id)) : [];
    const legacyById = new Map(fromLegacy.map((row) => [row.id, row]));
    const postgresServed = fromPostgres.filter((row) => readStore(stage, row.patientId) === 'postgres');
    if (legacyServed.length > 0) options.shadow.compare(domain, fromLegacy, async () => legacyServed, compare);
    if (postgresServed.length > 0) options.shadow.compare(domain, postgresServed, () => read(options.legacy, postgresServed.map((row) => row.id)), compare);
    return fromPostgres.flatMap((row) => {
      if (readStore(stage, row.patientId) === 'postgres') return [row];
      const served = legacyById.get(row.id);
      return served ? [served] : [];
    });
  }

  const conversations: ConversationStore = {
    sessionsByIds: (ids) => byIds('sessions', ids, (set, some) => set.conversations.sessionsByIds(some)),
    messagesByIds: (ids) => byIds('sessions', ids, (set, some) => set.conversations.messagesByIds(some)),
    listSessions: (filter, limit, after) =>
      patientRead('sessions', filter.patientId, (set) => set.conversations.listSessions(filter, limit, after), (a, b) => compareRows('sessions', a, b, derivedFields)),
    countSessions: (filter) =>
      patientRead('sessions', filter.patientId, (set) => set.conversations.countSessions(filter), (a, b) => ({
        domain: 'sessions',
        fields: ['count'],
        mismatches: a === b ? [] : [{ recordId: `count:${filter.patientId}`, fields: ['count'] }],
        matchedRecords: a === b ? 1 : 0,
      })),
    messagePages: async (pages) => {
      const stage = options.stage('sessions');
      const groups = new Map<Store, typeof pages>();
      for (const page of pages) groups.set(readStore(stage, page.patientId), [...(groups.get(readStore(stage, page.patientId)) ?? []), page]);
      const parts = await Promise.all(
        [...groups].map(([, group]) =>
          patientRead('sessions', group[0]?.patientId ?? '', (set) => set.conversations.messagePages(group), (a, b) => compareRows('sessions', a, b, derivedFields)),
        ),
      );
      return parts.flat().sort(chronological);
    },
    // search ranks and snippets are each store's own: served from one store, not compared
    searchMessages: (patientId, text, limit) => stores(readStore(options.stage('sessions'), patientId)).conversations.searchMessages(patientId, text, limit),
    // read for a write (feedback): from the store that decides, caught up when only the other has it yet
    ratedAnswer: async (responseId) => {
      const plan = stagePlan(options.stage('sessions').stage);
      const found = await stores(plan.authoritative).conversations.ratedAnswer(responseId);
      if (found || !plan.dualWrite) return found;
      const elsewhere = await stores(other(plan.authoritative)).conversations.ratedAnswer(responseId);
      if (!elsewhere) return undefined;
      await options.catchUp(elsewhere.answer.sessionId, plan.authoritative);
      return stores(plan.authoritative).conversations.ratedAnswer(responseId);
    },
    startSession: (actor, input) => authoritative('sessions').conversations.startSession(actor, input),
    updateSession: (actor, id, action, change) => decide('sessions', id, (set) => set.conversations.updateSession(actor, id, action, change)),
    postMessage: (actor, input, check) => decide('sessions', input.sessionId, (set) => set.conversations.postMessage(actor, input, check)),
  };

  const feedback: FeedbackStore = {
    feedbackBySessions: async (sessions) => {
      const stage = options.stage('feedback');
      const groups = new Map<Store, typeof sessions>();
      for (const session of sessions) groups.set(readStore(stage, session.patientId), [...(groups.get(readStore(stage, session.patientId)) ?? []), session]);
      const parts = await Promise.all(
        [...groups].map(([, group]) =>
          patientRead('feedback', group[0]?.patientId ?? '', (set) => set.feedback.feedbackBySessions(group), (a, b) => compareRows('feedback', a, b, derivedFields)),
        ),
      );
      return parts.flat().sort((a, b) => compareInstants(a.createdAt, b.createdAt) || (a.id < b.id ? -1 : 1));
    },
    submitFeedback: (actor, input, limits, toEvent) => authoritative('feedback').feedback.submitFeedback(actor, input, limits, toEvent),
  };
  const documents = routedDocuments({ stage: options.stage, postgres: options.postgres.documents, legacy: options.legacy.documents, shadow: options.shadow, catchUp: options.catchUp });
  return { conversations, feedback, documents };
}
