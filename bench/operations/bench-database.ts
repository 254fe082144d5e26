import { loadConfig, type Config } from '../../lib/config.js';
import { prepareSideDatabase } from '../../subgraphs/operations/store/index.js';

/** The configuration of a benchmark's own database (`<db>_bench_<suffix>`) and Qdrant collections (`bench_<suffix>_*`): its large data sets never touch the shared test data. */
export async function prepareBenchConfig(suffix: 'operations' | 'migration' | 'subscriptions' | 'realistic' = 'operations'): Promise<Config> {
  const base = loadConfig();
  const url = await prepareSideDatabase(base.postgres.url, `bench_${suffix}`);
  return loadConfig({ ...process.env, DATABASE_URL: url, EVENT_STREAM_PREFIX: `bench-${suffix}`, QDRANT_COLLECTION_PREFIX: `${base.qdrant.collectionPrefix}bench_${suffix}_`, OPERATIONS_VIEW_REFRESH_SECONDS: '0', LOG_LEVEL: 'warn' });
}
