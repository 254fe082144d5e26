import { timingSafeEqual } from 'node:crypto';
import { forbidden, unauthenticated } from './errors.js';
import { roles, type Role, type Viewer } from './auth.js';

/**
 * The permission table: what each role may do, and what each role may see of each type. Every
 * resolver, entity reference, route and cache decision of every service asks this module, so
 * the rules of the contract live in one place:
 * "A patient sees only their own patient record, sessions, messages and feedback; clinicians and
 * services see all clinical data; analysts see aggregates, documents and the knowledge graph but
 * no message content; feature flags and migration controls need admin."
 */

/** Everything a caller can ask for, in the words of the contract. */
export const actions = [
  'patient.read',
  'conversation.read',
  'conversation.write',
  'feedback.submit',
  'answer.annotate',
  'passages.read',
  'graph.read',
  'graph.write',
  'graph.promoteEligible',
  'document.read',
  'document.ingest',
  'search.read',
  'analytics.read',
  'analytics.refresh',
  'preferencePairs.read',
  'schema.read',
  'migration.read',
  'migration.change',
] as const;
export type Action = (typeof actions)[number];

/** `all`: any record; `own`: only records of the caller's own patient id; `none`: refused. */
export type Grant = 'all' | 'own' | 'none';

const patientData = { patient: 'own', clinician: 'all', analyst: 'none', service: 'all', admin: 'all' } as const;
const everyone = { patient: 'all', clinician: 'all', analyst: 'all', service: 'all', admin: 'all' } as const;
const adminOnly = { patient: 'none', clinician: 'none', analyst: 'none', service: 'none', admin: 'all' } as const;

export const permissions: Readonly<Record<Action, Readonly<Record<Role, Grant>>>> = {
  'patient.read': patientData,
  'conversation.read': patientData,
  'conversation.write': patientData,
  'feedback.submit': patientData,
  // How an answer was produced (the layers it traversed) is stated by the assistant service, not by whoever rates it.
  'answer.annotate': { patient: 'none', clinician: 'none', analyst: 'none', service: 'all', admin: 'all' },
  // Passages near a message are derived from its content: never for analysts. The search subgraph
  // only sees the content the caller sent, so the patient's ownership is checked where the message is read.
  'passages.read': { ...patientData, patient: 'all' },
  'graph.read': everyone,
  'graph.write': { patient: 'none', clinician: 'all', analyst: 'none', service: 'none', admin: 'all' },
  'graph.promoteEligible': { patient: 'none', clinician: 'none', analyst: 'none', service: 'all', admin: 'all' },
  'document.read': everyone,
  'document.ingest': { patient: 'none', clinician: 'none', analyst: 'all', service: 'all', admin: 'all' },
  'search.read': everyone,
  'analytics.read': { patient: 'none', clinician: 'all', analyst: 'all', service: 'all', admin: 'all' },
  'analytics.refresh': { patient: 'none', clinician: 'none', analyst: 'all', service: 'none', admin: 'all' },
  // Pairs are questions and answers of conversations, that is message content: the training
  // pipeline (a service) and admins only; analysts read the aggregates.
  'preferencePairs.read': { patient: 'none', clinician: 'none', analyst: 'none', service: 'all', admin: 'all' },
  // `_service { sdl }` and introspection: any authenticated caller, never an anonymous one.
  'schema.read': everyone,
  'migration.read': adminOnly,
  'migration.change': adminOnly,
};

/** What a caller needs to see a value of each client-facing type. */
export const typeVisibility = {
  Patient: 'patient.read',
  Diagnosis: 'patient.read',
  Medication: 'patient.read',
  Allergy: 'patient.read',
  Session: 'conversation.read',
  Message: 'conversation.read',
  MessageHit: 'conversation.read',
  Feedback: 'conversation.read',
  MedicalEntity: 'graph.read',
  Relation: 'graph.read',
  LayerTransition: 'graph.read',
  LayerCount: 'graph.read',
  Document: 'document.read',
  DocumentQuality: 'document.read',
  Chunk: 'document.read',
  SearchHit: 'search.read',
  FeedbackDayStats: 'analytics.read',
  LayerPerformance: 'analytics.read',
  PreferencePair: 'preferencePairs.read',
  MigrationDomainStatus: 'migration.read',
} as const satisfies Record<string, Action>;

/** The grant of a role for an action. */
export function grantOf(role: Role, action: Action): Grant {
  return permissions[action][role];
}

/**
 * Whether `viewer` may do `action`, on a record of `patientId` when the action concerns one
 * (without it, `own` means: the action in general, for the caller's own records).
 */
export function can(viewer: Viewer | undefined, action: Action, patientId?: string | null): boolean {
  if (!viewer) return false;
  const grant = grantOf(viewer.role, action);
  if (grant === 'all') return true;
  if (grant === 'none') return false;
  return patientId === undefined || (viewer.patientId !== undefined && patientId === viewer.patientId);
}

/** The viewer when `can` allows it; else UNAUTHENTICATED (no viewer) or FORBIDDEN naming what was refused. */
export function authorize(viewer: Viewer | undefined, action: Action, patientId?: string | null): Viewer {
  if (!viewer) throw unauthenticated();
  if (can(viewer, action, patientId)) return viewer;
  if (patientId !== undefined && patientId !== null && grantOf(viewer.role, action) !== 'none') {
    throw forbidden(`You may not access the data of patient ${patientId}`);
  }
  throw forbidden(`Role ${viewer.role} may not do ${action}`);
}

/**
 * What decides what a caller can see: its role and, for patients, its patient id. Two callers
 * with the same key see the same data, so shared (PUBLIC) cache entries are keyed by it;
 * PRIVATE entries add the caller's subject as well.
 */
export function visibilityKey(viewer: Viewer): string {
  return `${viewer.role}:${viewer.patientId ?? ''}`;
}

/** The table as text, one line per action: what the unit test prints and docs/security.md shows. */
export function describePermissions(): string {
  const width = Math.max(...actions.map((action) => action.length));
  const header = `${'action'.padEnd(width)}  ${roles.map((role) => role.padEnd(9)).join(' ')}`;
  const rows = actions.map((action) => `${action.padEnd(width)}  ${roles.map((role) => grantOf(role, action).padEnd(9)).join(' ')}`);
  return [header, ...rows].map((line) => line.trimEnd()).join('\n');
}

/** Who may scrape `/metrics`: whoever shows METRICS_TOKEN; without one configured, loopback callers outside production. */
export function canScrapeMetrics(request: { authorization: string | undefined; remoteAddress: string | undefined }, settings: { token: string | undefined; production: boolean }): boolean {
  if (settings.token) return request.authorization !== undefined && timingSafeEqualText(request.authorization, `Bearer ${settings.token}`);
  return !settings.production && isLoopback(request.remoteAddress);
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function timingSafeEqualText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Whether a semanticSearch text may be kept in the search query log (for its retention,
 * SEARCH_QUERY_LOG_RETENTION_DAYS): not a patient's, whose searches are about themselves.
 * Message contents sent for supporting passages are never kept anywhere.
 */
export function mayKeepSearchText(viewer: Viewer): boolean {
  return viewer.role !== 'patient';
}
