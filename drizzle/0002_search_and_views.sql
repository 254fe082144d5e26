-- Hand-written: drizzle-kit manages neither generated tsvector columns with their GIN
-- indexes, nor trigram operator classes, nor materialized views.

-- Ranked full-text search over message content (searchMessages).
ALTER TABLE "messages" ADD COLUMN "content_tsv" tsvector
  GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "content")) STORED;--> statement-breakpoint
CREATE INDEX "messages_content_tsv_idx" ON "messages" USING gin ("content_tsv");--> statement-breakpoint

-- Typo-tolerant fallback (similarity) on message content and session titles.
CREATE INDEX "messages_content_trgm_idx" ON "messages" USING gin ("content" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "sessions_title_trgm_idx" ON "sessions" USING gin ("title" gin_trgm_ops);--> statement-breakpoint

-- One row per UTC day. Positive: rating >= 4; negative: rating <= 2 (the legacy thresholds).
CREATE MATERIALIZED VIEW "feedback_daily_stats" AS
  SELECT date_trunc('day', "created_at", 'UTC') AS "day",
         count(*)::integer AS "total",
         avg("rating")::double precision AS "avg_rating",
         (count(*) FILTER (WHERE "rating" >= 4))::integer AS "positive",
         (count(*) FILTER (WHERE "rating" <= 2))::integer AS "negative",
         (count(*) FILTER (WHERE "correction" IS NOT NULL AND btrim("correction") <> ''))::integer AS "corrections"
  FROM "feedback"
  GROUP BY 1
WITH DATA;--> statement-breakpoint
-- REFRESH MATERIALIZED VIEW CONCURRENTLY needs a unique index on plain columns.
CREATE UNIQUE INDEX "feedback_daily_stats_day_idx" ON "feedback_daily_stats" ("day");--> statement-breakpoint

-- Feedback per layer the answer traversed (a feedback counts once for each of its layers).
CREATE MATERIALIZED VIEW "layer_performance" AS
  SELECT "layer",
         avg("rating")::double precision AS "avg_rating",
         count(*)::integer AS "query_count",
         (count(*) FILTER (WHERE "rating" <= 2))::integer AS "negative_count"
  FROM "feedback" CROSS JOIN LATERAL unnest("layers_traversed") AS "layer"
  GROUP BY "layer"
WITH DATA;--> statement-breakpoint
CREATE UNIQUE INDEX "layer_performance_layer_idx" ON "layer_performance" ("layer");
