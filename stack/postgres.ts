import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../lib/config.js';
import { projectRoot, storeDir } from './paths.js';
import { run } from './processes.js';
import { canInstallWithApt, aptInstall } from './system-packages.js';
import { StackError, type LaunchPlan, type Store } from './store.js';

const debianBinRoot = '/usr/lib/postgresql';

/** PostgreSQL: Debian's server in a throwaway cluster, or embedded PGlite when no server is installed. */
export function createPostgresStore(config: Config): Store {
  const target = new URL(config.postgres.url);
  return {
    name: 'postgres',
    displayUrl: redact(target),
    external: config.postgres.external,
    optional: false,
    // Fast shutdown: a smart shutdown (SIGTERM) would wait for every pooled client to leave.
    stopSignal: 'SIGINT',
    isReady: () => answersQuery(config.postgres.url),
    prepare: async () => ((await chooseEngine(config)) === 'pglite' ? preparePglite(config) : prepareDebian(config, target)),
  };
}

async function chooseEngine(config: Config): Promise<'debian' | 'pglite'> {
  const mode = config.stack.postgresMode;
  if (mode !== 'auto') return mode;
  if (findDebianBinDir() !== undefined) return 'debian';
  return config.stack.installMissing && (await canInstallWithApt()) ? 'debian' : 'pglite';
}

async function prepareDebian(config: Config, target: URL): Promise<LaunchPlan> {
  let binDir = findDebianBinDir();
  if (binDir === undefined) {
    if (!config.stack.installMissing || !(await canInstallWithApt())) {
      throw new StackError(
        'PostgreSQL server not found: install it with `apt-get install postgresql` (Debian), or set STACK_POSTGRES=pglite, or point DATABASE_URL at a running server.',
      );
    }
    await aptInstall(['postgresql', 'postgresql-contrib'], 'PostgreSQL server not found');
    binDir = findDebianBinDir();
    if (binDir === undefined) throw new StackError(`PostgreSQL was installed but no server was found under ${debianBinRoot}`);
  }
  // Root may not run postgres; the cluster then belongs to Debian's `postgres` user.
  const user = process.getuid?.() === 0 ? 'postgres' : undefined;
  const dir = await clusterDir(storeDir(config, 'postgres'), user);
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'run');
  mkdirSync(socketDir, { recursive: true });
  if (user) await chownToPostgres([dir, socketDir]);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initCluster(binDir, dir, dataDir, target, user);
  return {
    command: join(binDir, 'postgres'),
    args: [
      '-D', dataDir,
      '-p', String(config.postgres.port),
      '-k', socketDir,
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'shared_buffers=256MB',
      '-c', 'max_connections=200',
      '-c', 'logging_collector=off',
    ],
    user,
  };
}

/**
 * The folder of the cluster: the store folder, unless the `postgres` user cannot reach it
 * (a checkout under /root, say); then a folder of its own under /var/tmp, named after it.
 */
async function clusterDir(storeFolder: string, user: string | undefined): Promise<string> {
  if (!user || (await run('test', ['-x', storeFolder], { user })).ok) return storeFolder;
  const fallback = join('/var/tmp', `synapseflow-postgres-${createHash('sha256').update(storeFolder).digest('hex').slice(0, 12)}`);
  mkdirSync(fallback, { recursive: true, mode: 0o700 });
  return fallback;
}

async function initCluster(binDir: string, dir: string, dataDir: string, target: URL, user: string | undefined): Promise<void> {
  const { username, password, database } = credentials(target);
  const pwFile = join(dir, 'initdb.pw');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (user) await chownToPostgres([pwFile]);
  try {
    const init = await run(join(binDir, 'initdb'), [
      '-D', dataDir, '-U', username, `--pwfile=${pwFile}`, '-E', 'UTF8', '--locale=C.UTF-8',
      '--auth-local=trust', '--auth-host=scram-sha-256',
    ], { user });
    if (!init.ok) throw new StackError(`initdb failed:\n${init.stderr.trim() || init.stdout.trim()}`);
  } finally {
    rmSync(pwFile, { force: true });
  }
  // Single-user mode creates the database before the server ever listens, so readiness means usable.
  const create = await run(join(binDir, 'postgres'), ['--single', '-D', dataDir, 'postgres'], { user, input: `CREATE DATABASE "${database}"\n` });
  if (!create.ok) throw new StackError(`creating database ${database} failed:\n${create.stderr.trim()}`);
}

function preparePglite(config: Config): Promise<LaunchPlan> {
  const dir = storeDir(config, 'postgres');
  return Promise.resolve({
    command: process.execPath,
    args: ['--import', 'tsx', join(projectRoot, 'stack', 'pglite-server.ts'), '--data', join(dir, 'pglite'), '--port', String(config.postgres.port)],
    cwd: projectRoot,
  });
}

/** Database and role names become identifiers in SQL, so only plain names are accepted. */
function credentials(target: URL) {
  const username = decodeURIComponent(target.username) || 'postgres';
  const password = decodeURIComponent(target.password);
  const database = decodeURIComponent(target.pathname.replace(/^\//, '')) || username;
  for (const [what, name] of [['user', username], ['database', database]] as const) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new StackError(`DATABASE_URL: the ${what} name "${name}" must be a plain identifier`);
  }
  if (password === '') throw new StackError('DATABASE_URL: a password is required for the local cluster');
  return { username, password, database };
}

function findDebianBinDir(): string | undefined {
  if (!existsSync(debianBinRoot)) return undefined;
  const versions = readdirSync(debianBinRoot)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(debianBinRoot, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(debianBinRoot, versions[0], 'bin');
}

async function chownToPostgres(paths: readonly string[]): Promise<void> {
  const ids = await run('id', ['-u', 'postgres']);
  const gids = await run('id', ['-g', 'postgres']);
  if (!ids.ok || !gids.ok) throw new StackError('the system user `postgres` is missing: reinstall Debian\'s postgresql package');
  for (const path of paths) chownSync(path, Number(ids.stdout), Number(gids.stdout));
}

async function answersQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}
