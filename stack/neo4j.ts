import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import neo4j from 'neo4j-driver';
import type { Config } from '../lib/config.js';
import { projectRoot, storeDir } from './paths.js';
import { onPath, run } from './processes.js';
import { StackError, type LaunchPlan, type Store } from './store.js';

/** The Maven project of the launcher (Neo4j 5.26 Community embedded, APOC core in its plugin dir). */
const launcherDir = join(projectRoot, 'stack', 'neo4j');
const target = join(launcherDir, 'target');
const stampFile = join(target, 'build.sha256');
const mainClass = 'dev.synapseflow.neo4j.Neo4jLauncher';

/** Neo4j: Community 5.26 LTS embedded in a tiny Java launcher built with Maven; Bolt on 127.0.0.1 only. */
export function createNeo4jStore(config: Config): Store {
  return {
    name: 'neo4j',
    displayUrl: config.neo4j.uri,
    external: config.neo4j.external,
    optional: false,
    isReady: () => neo4jAnswers(config.neo4j.uri, config.neo4j.user, config.neo4j.password),
    prepare: () => prepareNeo4j(config),
  };
}

async function prepareNeo4j(config: Config): Promise<LaunchPlan> {
  const java = await javaMajorVersion();
  if (java === undefined) throw new StackError('Java 17+ not found: install it with `apt-get install openjdk-17-jdk-headless` (Debian).');
  if (java < 17) throw new StackError(`Java ${java} is on PATH, Neo4j 5.26 needs Java 17+: install it with \`apt-get install openjdk-17-jdk-headless\`.`);
  await buildLauncher();

  const { heap, pageCache, boltPort, transactionTimeoutSeconds } = config.neo4j;
  return {
    command: 'java',
    args: [
      `-Xmx${heap}`,
      `-Xms${minSize(heap, '256m')}`,
      '-XX:+UseG1GC',
      '-XX:-OmitStackTraceInFastThrow',
      '-XX:+DisableExplicitGC',
      // The JVM flags Neo4j's own neo4j.conf sets (page cache and Netty need the add-opens).
      '-Djdk.nio.maxCachedBufferSize=1024',
      '-Dio.netty.tryReflectionSetAccessible=true',
      '-Dlog4j2.disable.jmx=true',
      '--add-opens=java.base/java.nio=ALL-UNNAMED',
      '--add-opens=java.base/java.io=ALL-UNNAMED',
      '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
      '--add-opens=java.base/java.lang=ALL-UNNAMED',
      '-cp', [join(target, 'classes'), join(target, 'lib', '*'), join(target, 'plugins', '*')].join(delimiter),
      mainClass,
      '--home', storeDir(config, 'neo4j'),
      '--plugins', join(target, 'plugins'),
      '--port', String(boltPort),
      '--pagecache', pageCache,
      '--transaction-timeout-seconds', String(transactionTimeoutSeconds),
    ],
    // Credentials go through the environment so they never show in `ps`.
    env: { NEO4J_USER: config.neo4j.user, NEO4J_PASSWORD: config.neo4j.password },
  };
}

/** Runs Maven only when pom.xml or the launcher source changed since the last successful build. */
async function buildLauncher(): Promise<void> {
  const hash = sourceHash();
  const built = existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash;
  if (built && existsSync(join(target, 'classes')) && existsSync(join(target, 'plugins'))) return;

  if (!(await onPath('mvn'))) throw new StackError('Maven not found (needed once to build the Neo4j launcher): install it with `apt-get install maven`.');
  if (!(await onPath('javac'))) throw new StackError('javac not found: building the Neo4j launcher needs a JDK, install it with `apt-get install openjdk-17-jdk-headless`.');
  // Stale jars from an older Neo4j or APOC version must not stay on the class path.
  for (const dir of ['classes', 'lib', 'plugins']) rmSync(join(target, dir), { recursive: true, force: true });
  rmSync(stampFile, { force: true });
  console.log('[stack] neo4j: building the launcher with Maven (downloads Neo4j and APOC from Maven Central the first time)...');
  const result = await run('mvn', ['-B', '-q', 'compile'], { cwd: launcherDir });
  if (!result.ok) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n');
    throw new StackError(`Building the Neo4j launcher failed (mvn -B -q compile in stack/neo4j):\n${output}`);
  }
  writeFileSync(stampFile, `${hash}\n`);
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const sources = readdirSync(join(launcherDir, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.java'))
    .sort();
  for (const file of ['pom.xml', ...sources.map((source) => join('src', source))]) {
    hash.update(`${file}\0`).update(readFileSync(join(launcherDir, file)));
  }
  return hash.digest('hex');
}

async function javaMajorVersion(): Promise<number | undefined> {
  if (!(await onPath('java'))) return undefined;
  const result = await run('java', ['-version']);
  // `openjdk version "17.0.15"`, or `"1.8.0_392"` for Java 8.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

/** The smaller of two JVM sizes such as 768m and 1g. */
function minSize(a: string, b: string): string {
  return bytes(a) <= bytes(b) ? a : b;
}

function bytes(size: string): number {
  const unit = size.slice(-1).toLowerCase();
  const scale = unit === 'g' ? 2 ** 30 : unit === 'm' ? 2 ** 20 : unit === 'k' ? 2 ** 10 : 1;
  return Number.parseInt(size, 10) * scale;
}

/** True when Neo4j at `uri` accepts the credentials and runs `RETURN 1`; never throws. */
export async function neo4jAnswers(uri: string, user: string, password: string): Promise<boolean> {
  let driver: ReturnType<typeof neo4j.driver> | undefined;
  try {
    driver = neo4j.driver(uri, neo4j.auth.basic(user, password), {
      connectionTimeout: 2_000,
      connectionAcquisitionTimeout: 3_000,
      maxConnectionPoolSize: 1,
    });
    // A plain session run: executeQuery would retry an unreachable server for 30 s.
    const session = driver.session();
    try {
      const result = await session.run('RETURN 1 AS ok');
      return result.records.length === 1;
    } finally {
      await session.close();
    }
  } catch {
    return false;
  } finally {
    await driver?.close().catch(() => undefined);
  }
}
