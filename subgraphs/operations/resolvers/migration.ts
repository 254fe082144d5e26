import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { MigrationDomain, MigrationStage } from '../../../migration/stages/stage-rules.js';
import { migrationStatus, type DomainStatus } from '../../../migration/status.js';
import { changeStage } from '../../../migration/store/stage-store.js';
import type { OperationsContext } from '../context.js';
import { actorOf } from './actor.js';

interface SetStageArgs {
  domain: MigrationDomain;
  stage: MigrationStage;
  rolloutPercent?: number | null;
  force?: boolean | null;
}

export const migrationResolvers = {
  Query: {
    migrationStatus: (_: unknown, args: { domains?: MigrationDomain[] | null }, ctx: OperationsContext) => {
      authorize(ctx.viewer, 'migration.read');
      return migrationStatus(ctx.db, ctx.migration.legacyDriver, args.domains ?? undefined);
    },
  },
  Mutation: {
    setMigrationStage: async (_: unknown, args: SetStageArgs, ctx: OperationsContext) => {
      const viewer = authorize(ctx.viewer, 'migration.change');
      await changeStage(ctx.db, actorOf(viewer), args.domain, { stage: args.stage, rolloutPercent: args.rolloutPercent ?? null, force: args.force ?? false }, ctx.migration.stageContext);
      // this replica follows at once; the others on the announcement
      await ctx.migration.stages.refresh();
      const [status] = await migrationStatus(ctx.db, ctx.migration.legacyDriver, [args.domain]);
      return status;
    },
  },
  MigrationDomainStatus: {
    changesToPostgres: (status: DomainStatus) => status.changes.toPostgres,
    changesToLegacy: (status: DomainStatus) => status.changes.toLegacy,
    reportedRecords: (status: DomainStatus) => status.reported,
    lastVerification: (status: DomainStatus) => status.verification,
  },
  MigrationShadow: {
    fields: (shadow: DomainStatus['shadow']) => shadow.byField,
  },
} satisfies Resolvers<OperationsContext>;
