import { canReadPatient, requireRole, requireViewer, type Role, type Viewer } from '../../lib/auth.js';
import { forbidden } from '../../lib/errors.js';
import type { Actor } from './store/index.js';

/** Aggregates (stats, layer performance): everyone but patients. */
export const analyticsReaders: readonly Role[] = ['clinician', 'analyst', 'service', 'admin'];
/** Preference pairs hold prompts and answers: analysts and admins only (as the export). */
export const pairReaders: readonly Role[] = ['analyst', 'admin'];
/** Documents are the reference corpus, not personal data: every role reads their metadata and quality (a patient's session shows the passages that support an answer). */
export const documentReaders: readonly Role[] = ['patient', 'clinician', 'analyst', 'service', 'admin'];
export const documentWriters: readonly Role[] = ['analyst', 'service', 'admin'];
export const viewRefreshers: readonly Role[] = ['analyst', 'admin'];

/**
 * The viewer when it may read (and write) this patient's sessions, messages and feedback:
 * the patient itself, clinicians, services, admins. Never analysts (no message content).
 */
export function requirePatientAccess(viewer: Viewer | undefined, patientId: string): Viewer {
  const known = requireViewer(viewer);
  if (!canReadPatient(known, patientId)) throw forbidden(`You may not access the data of patient ${patientId}`);
  return known;
}

export function actorOf(viewer: Viewer): Actor {
  return { sub: viewer.sub, role: viewer.role };
}

export function requireActor(viewer: Viewer | undefined, allowed: readonly Role[]): Actor {
  return actorOf(requireRole(viewer, allowed));
}
