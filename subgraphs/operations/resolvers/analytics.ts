import { requireRole } from '../../../lib/auth.js';
import { badInput } from '../../../lib/errors.js';
import { analyticsReaders, pairReaders, viewRefreshers } from '../access.js';
import type { OperationsContext } from '../context.js';
import { listPreferencePairs, readFeedbackDailyStats, readLayerPerformance } from '../store/index.js';
import { checkMinRatingGap, checkPageSize } from '../validation.js';

/** Longest window of feedbackDailyStats (days). */
const maxStatsDays = 366;
/** Largest preferencePairs page; the export endpoint serves bigger sets. */
const maxPairsPage = 1000;

export const analyticsResolvers = {
  Query: {
    feedbackDailyStats: (_: unknown, args: { days?: number | null }, ctx: OperationsContext) => {
      requireRole(ctx.viewer, analyticsReaders);
      const days = args.days ?? 30;
      if (!Number.isInteger(days) || days < 1 || days > maxStatsDays) throw badInput(`days must be an integer from 1 to ${maxStatsDays}`, 'days');
      return readFeedbackDailyStats(ctx.db, days);
    },
    layerPerformance: (_: unknown, __: unknown, ctx: OperationsContext) => {
      requireRole(ctx.viewer, analyticsReaders);
      return readLayerPerformance(ctx.db);
    },
    preferencePairs: (_: unknown, args: { minRatingGap?: number | null; first?: number | null }, ctx: OperationsContext) => {
      requireRole(ctx.viewer, pairReaders);
      const first = checkPageSize(args.first ?? 100, 'first', maxPairsPage);
      return listPreferencePairs(ctx.db, checkMinRatingGap(args.minRatingGap ?? 2), first);
    },
  },
  Mutation: {
    refreshAnalytics: (_: unknown, __: unknown, ctx: OperationsContext) => {
      requireRole(ctx.viewer, viewRefreshers);
      return ctx.services.refreshViews();
    },
  },
};
