CREATE TABLE "migration_applied_changes" (
	"change_id" text PRIMARY KEY NOT NULL,
	"applied_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "migration_backfills" (
	"domain" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"status" text NOT NULL,
	"checkpoint" text,
	"batch_size" integer NOT NULL,
	"read" integer DEFAULT 0 NOT NULL,
	"moved" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"reported" integer DEFAULT 0 NOT NULL,
	"total" integer,
	"error" text,
	"started_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (6) with time zone,
	CONSTRAINT "migration_backfills_status_check" CHECK (status IN ('running', 'finished', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "migration_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"change_id" text NOT NULL,
	"domain" text NOT NULL,
	"aggregate" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp (6) with time zone,
	CONSTRAINT "migration_changes_change_id_unique" UNIQUE("change_id")
);
--> statement-breakpoint
CREATE TABLE "migration_problems" (
	"domain" text NOT NULL,
	"record_kind" text NOT NULL,
	"record_id" text NOT NULL,
	"fields" text[] NOT NULL,
	"reason" text NOT NULL,
	"seen_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "migration_problems_domain_record_kind_record_id_pk" PRIMARY KEY("domain","record_kind","record_id")
);
--> statement-breakpoint
CREATE TABLE "migration_shadow_counts" (
	"domain" text NOT NULL,
	"field" text NOT NULL,
	"matches" bigint DEFAULT 0 NOT NULL,
	"mismatches" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "migration_shadow_counts_domain_field_pk" PRIMARY KEY("domain","field")
);
--> statement-breakpoint
CREATE TABLE "migration_shadow_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"domain" text NOT NULL,
	"record_id" text NOT NULL,
	"fields" text[] NOT NULL,
	"seen_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "migration_stages" (
	"domain" text PRIMARY KEY NOT NULL,
	"stage" text NOT NULL,
	"rollout_percent" integer,
	"version" bigint DEFAULT 1 NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "migration_stages_domain_check" CHECK (domain IN ('sessions', 'feedback', 'documents')),
	CONSTRAINT "migration_stages_stage_check" CHECK (stage IN ('legacy', 'dual_write', 'shadow', 'live', 'rampdown', 'complete')),
	CONSTRAINT "migration_stages_rollout_check" CHECK (("migration_stages"."stage" = 'live') = ("migration_stages"."rollout_percent" IS NOT NULL) AND coalesce("migration_stages"."rollout_percent" BETWEEN 0 AND 100, true))
);
--> statement-breakpoint
CREATE TABLE "migration_verifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"domain" text NOT NULL,
	"consistent" boolean NOT NULL,
	"sample" integer NOT NULL,
	"report" jsonb NOT NULL,
	"started_at" timestamp (6) with time zone NOT NULL,
	"finished_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP TABLE "feature_flags" CASCADE;--> statement-breakpoint
CREATE INDEX "migration_changes_pending_idx" ON "migration_changes" USING btree ("id") WHERE "migration_changes"."applied_at" IS NULL;--> statement-breakpoint
CREATE INDEX "migration_changes_aggregate_idx" ON "migration_changes" USING btree ("aggregate","id") WHERE "migration_changes"."applied_at" IS NULL;--> statement-breakpoint
CREATE INDEX "migration_shadow_samples_domain_idx" ON "migration_shadow_samples" USING btree ("domain","id");--> statement-breakpoint
CREATE INDEX "migration_verifications_domain_idx" ON "migration_verifications" USING btree ("domain","id");