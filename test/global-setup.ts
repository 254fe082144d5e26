import { loadConfig } from '../lib/config.js';
import { stackUp } from '../stack/stack.js';
import { useTestStack } from '../stack/test-stack.js';
import { ensureChromium } from './support/chromium.js';
import { migrateDatabase } from '../subgraphs/operations/store/migrate.js';

/**
 * Integration tests need the real stores: bring the stack up (reusing running stores)
 * or fail the whole run, loudly. A store that cannot start is never skipped. The stack is the test
 * stack (its own folder and ports): the demo's stores are never touched.
 */
export default async function setup(): Promise<void> {
  useTestStack();
  const started = Date.now();
  const [reports] = await Promise.all([stackUp(loadConfig()), ensureChromium()]);
  await migrateDatabase(loadConfig());
  const summary = reports.map((report) => `${report.name} ${report.state}`).join(', ');
  console.log(`[test] stores ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary}`);
}
