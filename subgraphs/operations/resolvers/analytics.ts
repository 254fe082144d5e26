import { badInput } from '../../../lib/errors.js';
import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { OperationsContext } from '../context.js';
import { listPreferencePairs, readFeedbackDailyStats, readLayerPerformance } from '../store/index.js';
import { checkMinRatingGap, checkPageSize } from '../rules/validation.js';

/** Longest window of feedbackDailyStats (days). */
const maxStatsDays = 366;
/** Largest preferencePairs page; the export endpoint serves bigger sets. */
const maxPairsPage = 1000;

export const analyticsResolvers = {
  Query: {
    feedbackDailyStats: (_: unknown, args: { days?: number | null }, ctx: OperationsContext) => {
      authorize(ctx.viewer, 'analytics.read');
      const days = args.days ?? 30;
      if (!Number.isInteger(days) || days < 1 || days > maxStatsDays) throw badInput(`days must be an integer from 1 to ${maxStatsDays}`, 'days');
      return readFeedbackDailyStats(ctx.db, days);
    },
    layerPerformance: (_: unknown, __: unknown, ctx: OperationsContext) => {
      authorize(ctx.viewer, 'analytics.read');
      return readLayerPerformance(ctx.db);
    },
    preferencePairs: (_: unknown, args: { minRatingGap?: number | null; first?: number | null }, ctx: OperationsContext) => {
      authorize(ctx.viewer, 'preferencePairs.read');
      const first = checkPageSize(args.first ?? 100, 'first', maxPairsPage);
      return listPreferencePairs(ctx.db, checkMinRatingGap(args.minRatingGap ?? 2), first);
    },
  },
  Mutation: {
    refreshAnalytics: (_: unknown, __: unknown, ctx: OperationsContext) => {
      authorize(ctx.viewer, 'analytics.refresh');
      return ctx.services.refreshViews();
    },
  },
} satisfies Resolvers<OperationsContext>;
