import { ConfigError, loadConfig } from '../lib/config.js';
import { stackDown, stackStatus, stackUp, type StoreReport } from './stack.js';
import { StackError, type StoreName } from './store.js';
import { useTestStack } from './test-stack.js';

const usage = 'usage: tsx stack/cli.ts up|down|status [--test-stack] [postgres|redis|neo4j|qdrant ...]';
const storeNames: readonly StoreName[] = ['postgres', 'redis', 'neo4j', 'qdrant'];

function print(reports: readonly (StoreReport & { ready?: boolean })[]): void {
  for (const report of reports) {
    const pid = report.pid ? ` pid ${report.pid}` : '';
    const note = report.note ? `  (${report.note.split('\n')[0]})` : '';
    console.log(`  ${report.name.padEnd(9)} ${report.state.padEnd(12)} ${report.url}${pid}  ${(report.ms / 1000).toFixed(1)} s${note}`);
  }
}

async function main(): Promise<void> {
  const [command, ...options] = process.argv.slice(2);
  // --test-stack: the stores `npm test` uses (stack/test-stack.ts), not the demo's
  if (options.includes('--test-stack')) useTestStack();
  const rest = options.filter((option) => option !== '--test-stack');
  const unknown = rest.filter((name) => !storeNames.includes(name as StoreName));
  if (unknown.length > 0) throw new StackError(`unknown store ${unknown.join(', ')}\n${usage}`);
  const only = rest.length > 0 ? (rest as StoreName[]) : undefined;
  const config = loadConfig();
  switch (command) {
    case 'up': {
      const started = Date.now();
      const reports = await stackUp(config, only);
      print(reports);
      console.log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return;
    }
    case 'down':
      print(await stackDown(config, only));
      return;
    case 'status': {
      const reports = await stackStatus(config);
      print(reports);
      process.exitCode = reports.every((report) => report.ready) ? 0 : 3;
      return;
    }
    default:
      throw new StackError(usage);
  }
}

main().catch((error: unknown) => {
  if (error instanceof StackError || error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
