-- Hand-written: drizzle-kit does not manage extensions. pg_trgm backs the trigram indexes
-- and the typo-tolerant search fallback; gen_random_uuid() is core PostgreSQL (>= 13).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
