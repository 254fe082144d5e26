import { AppError, conflict } from '../../../lib/errors.js';

/** How much feedback one patient may give in 24 hours: in all, and about any one entity. */
export interface FeedbackLimits {
  perPatientPerDay: number;
  perEntityPerDay: number;
}

/** What the store holds about recent feedback, counted under the patient's lock. */
export interface RecentFeedback {
  /** The caller already rated this response. */
  alreadyRated: boolean;
  /** Feedback about the patient's answers in the last 24 hours. */
  patientToday: number;
  /** The entity (of the new feedback's) most often concerned in the last 24 hours, with its count. */
  busiestEntity: { id: string; count: number } | null;
}

const rateLimited = (message: string) => new AppError('RATE_LIMITED', message);

/**
 * Refuses feedback past the limits: one rating per caller and answer (CONFLICT), at most
 * `perPatientPerDay` feedback about one patient's answers, and at most `perEntityPerDay` of them
 * about any one entity (RATE_LIMITED naming it). The same rule whichever store counted.
 */
export function checkFeedbackLimits(responseId: string, recent: RecentFeedback, limits: FeedbackLimits): void {
  if (recent.alreadyRated) throw conflict(`You already rated response ${responseId}`);
  if (recent.patientToday >= limits.perPatientPerDay) {
    throw rateLimited(`At most ${limits.perPatientPerDay} feedback a day may be given about one patient's answers; try again tomorrow`);
  }
  if (recent.busiestEntity && recent.busiestEntity.count >= limits.perEntityPerDay) {
    throw rateLimited(`At most ${limits.perEntityPerDay} feedback a day may concern entity ${recent.busiestEntity.id}; try again tomorrow`);
  }
}
