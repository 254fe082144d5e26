ALTER TABLE "query_analytics" ADD COLUMN "event_id" text;--> statement-breakpoint
ALTER TABLE "query_analytics" ADD COLUMN "operation_name" text;--> statement-breakpoint
ALTER TABLE "query_analytics" ADD COLUMN "has_errors" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "query_analytics" ADD COLUMN "subgraphs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "query_analytics" ADD CONSTRAINT "query_analytics_event_id_unique" UNIQUE("event_id");