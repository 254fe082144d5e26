CREATE TABLE "document_quality" (
	"document_id" text PRIMARY KEY NOT NULL,
	"information_density" double precision,
	"structural_clarity" double precision,
	"entity_coherence" double precision,
	"context_sufficiency" double precision,
	"contextual_relevancy" double precision,
	"composite_score" double precision,
	"assessed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_quality_density_check" CHECK (information_density IS NULL OR (information_density >= 0 AND information_density <= 1)),
	CONSTRAINT "document_quality_clarity_check" CHECK (structural_clarity IS NULL OR (structural_clarity >= 0 AND structural_clarity <= 1)),
	CONSTRAINT "document_quality_coherence_check" CHECK (entity_coherence IS NULL OR (entity_coherence >= 0 AND entity_coherence <= 1)),
	CONSTRAINT "document_quality_sufficiency_check" CHECK (context_sufficiency IS NULL OR (context_sufficiency >= 0 AND context_sufficiency <= 1)),
	CONSTRAINT "document_quality_relevancy_check" CHECK (contextual_relevancy IS NULL OR (contextual_relevancy >= 0 AND contextual_relevancy <= 1)),
	CONSTRAINT "document_quality_composite_check" CHECK (composite_score IS NULL OR (composite_score >= 0 AND composite_score <= 1))
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"external_id" text,
	"filename" text NOT NULL,
	"title" text,
	"source" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	"ingest_attempt" integer DEFAULT 1 NOT NULL,
	"failure_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_status_check" CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
	CONSTRAINT "documents_filename_check" CHECK (length(btrim("documents"."filename")) > 0),
	CONSTRAINT "documents_chunk_count_check" CHECK ("documents"."chunk_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"stream" text NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp (3) with time zone,
	CONSTRAINT "outbox_events_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "processed_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"processed_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"response_id" text NOT NULL,
	"session_id" text,
	"patient_id" text,
	"actor" text,
	"query_text" text,
	"response_text" text,
	"rating" smallint NOT NULL,
	"feedback_type" text NOT NULL,
	"severity" text,
	"correction" text,
	"entity_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"layers_traversed" text[] DEFAULT '{}'::text[] NOT NULL,
	"query_hash" text GENERATED ALWAYS AS (md5(lower(btrim(query_text)))) STORED,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_rating_check" CHECK ("feedback"."rating" BETWEEN 1 AND 5),
	CONSTRAINT "feedback_type_check" CHECK (feedback_type IN ('helpful', 'unhelpful', 'incorrect', 'partially_correct', 'missing_info')),
	CONSTRAINT "feedback_severity_check" CHECK (severity IS NULL OR severity IN ('critical', 'high', 'medium', 'low')),
	CONSTRAINT "feedback_layers_check" CHECK (layers_traversed <@ ARRAY['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION']::text[])
);
--> statement-breakpoint
CREATE TABLE "preference_pairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"prompt" text NOT NULL,
	"chosen" text NOT NULL,
	"rejected" text NOT NULL,
	"rating_gap" double precision NOT NULL,
	"source" text NOT NULL,
	"chosen_feedback_id" text NOT NULL,
	"rejected_feedback_id" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "preference_pairs_feedback_unique" UNIQUE("chosen_feedback_id","rejected_feedback_id"),
	CONSTRAINT "preference_pairs_gap_check" CHECK ("preference_pairs"."rating_gap" > 0 AND "preference_pairs"."rating_gap" <= 4),
	CONSTRAINT "preference_pairs_source_check" CHECK (source IN ('correction', 'rating_gap'))
);
--> statement-breakpoint
CREATE TABLE "audit_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor" text NOT NULL,
	"actor_role" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feature_flags" (
	"key" text PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"write_target" text DEFAULT 'legacy' NOT NULL,
	"read_source" text DEFAULT 'legacy' NOT NULL,
	"description" text,
	"updated_by" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feature_flags_write_target_check" CHECK (write_target IN ('legacy', 'postgres', 'dual')),
	CONSTRAINT "feature_flags_read_source_check" CHECK (read_source IN ('legacy', 'postgres'))
);
--> statement-breakpoint
CREATE TABLE "preferences" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "preferences_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "query_analytics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"query_hash" text NOT NULL,
	"query_text" text,
	"session_id" text,
	"patient_id" text,
	"layers_traversed" text[] DEFAULT '{}'::text[] NOT NULL,
	"latency_ms" double precision,
	"result_count" integer,
	"cache_hit" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "query_analytics_latency_check" CHECK ("query_analytics"."latency_ms" IS NULL OR "query_analytics"."latency_ms" >= 0),
	CONSTRAINT "query_analytics_layers_check" CHECK (layers_traversed <@ ARRAY['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION']::text[])
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject" text NOT NULL,
	"role" text NOT NULL,
	"patient_id" text,
	"display_name" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_subject_unique" UNIQUE("subject"),
	CONSTRAINT "users_role_check" CHECK (role IN ('patient', 'clinician', 'analyst', 'service', 'admin')),
	CONSTRAINT "users_patient_check" CHECK (role <> 'patient' OR patient_id IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"session_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"role" text NOT NULL,
	"content" text NOT NULL,
	"response_id" text,
	"confidence" double precision,
	"query_time_seconds" double precision,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reasoning_trail" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"related_concepts" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_role_check" CHECK (role IN ('user', 'assistant', 'system')),
	CONSTRAINT "messages_content_check" CHECK (length("messages"."content") > 0 AND length("messages"."content") <= 32000),
	CONSTRAINT "messages_confidence_check" CHECK ("messages"."confidence" IS NULL OR ("messages"."confidence" >= 0 AND "messages"."confidence" <= 1))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"patient_id" text NOT NULL,
	"title" text,
	"status" text DEFAULT 'active' NOT NULL,
	"device" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_activity" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"message_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sessions_status_check" CHECK (status IN ('active', 'ended', 'archived')),
	CONSTRAINT "sessions_title_check" CHECK ("sessions"."title" IS NULL OR (length(btrim("sessions"."title")) > 0 AND length("sessions"."title") <= 200)),
	CONSTRAINT "sessions_message_count_check" CHECK ("sessions"."message_count" >= 0),
	CONSTRAINT "sessions_ended_check" CHECK ("sessions"."ended_at" IS NULL OR "sessions"."ended_at" >= "sessions"."created_at")
);
--> statement-breakpoint
ALTER TABLE "document_quality" ADD CONSTRAINT "document_quality_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preference_pairs" ADD CONSTRAINT "preference_pairs_chosen_feedback_id_feedback_id_fk" FOREIGN KEY ("chosen_feedback_id") REFERENCES "public"."feedback"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preference_pairs" ADD CONSTRAINT "preference_pairs_rejected_feedback_id_feedback_id_fk" FOREIGN KEY ("rejected_feedback_id") REFERENCES "public"."feedback"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preferences" ADD CONSTRAINT "preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "query_analytics" ADD CONSTRAINT "query_analytics_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_quality_composite_idx" ON "document_quality" USING btree ("composite_score");--> statement-breakpoint
CREATE INDEX "documents_status_idx" ON "documents" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "documents_created_idx" ON "documents" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_external_id_idx" ON "documents" USING btree ("external_id") WHERE "documents"."external_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_events_unpublished_idx" ON "outbox_events" USING btree ("id") WHERE "outbox_events"."published_at" IS NULL;--> statement-breakpoint
CREATE INDEX "feedback_created_idx" ON "feedback" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "feedback_rating_idx" ON "feedback" USING btree ("rating");--> statement-breakpoint
CREATE INDEX "feedback_response_idx" ON "feedback" USING btree ("response_id");--> statement-breakpoint
CREATE INDEX "feedback_session_idx" ON "feedback" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "feedback_patient_idx" ON "feedback" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "feedback_query_hash_idx" ON "feedback" USING btree ("query_hash") WHERE "feedback"."query_hash" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "feedback_layers_idx" ON "feedback" USING gin ("layers_traversed");--> statement-breakpoint
CREATE INDEX "preference_pairs_gap_idx" ON "preference_pairs" USING btree ("rating_gap","created_at");--> statement-breakpoint
CREATE INDEX "audit_logs_entity_idx" ON "audit_logs" USING btree ("entity_type","entity_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_logs_created_idx" ON "audit_logs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "query_analytics_hash_idx" ON "query_analytics" USING btree ("query_hash");--> statement-breakpoint
CREATE INDEX "query_analytics_created_idx" ON "query_analytics" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "messages_session_idx" ON "messages" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "messages_session_created_idx" ON "messages" USING btree ("session_id","created_at","id");--> statement-breakpoint
CREATE INDEX "messages_patient_created_idx" ON "messages" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_response_idx" ON "messages" USING btree ("response_id") WHERE "messages"."response_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "sessions_patient_activity_idx" ON "sessions" USING btree ("patient_id","last_activity","id");--> statement-breakpoint
CREATE INDEX "sessions_active_idx" ON "sessions" USING btree ("patient_id") WHERE "sessions"."status" = 'active';--> statement-breakpoint
CREATE INDEX "sessions_last_activity_idx" ON "sessions" USING btree ("last_activity");