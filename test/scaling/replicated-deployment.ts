import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { signDevToken, type Role } from '../../lib/auth.js';
import { loadConfig } from '../../lib/config.js';
import { composeSupergraph } from '../../gateway/compose.js';
import { createNeo4jDriver } from '../../subgraphs/knowledge/store/driver.js';
import { subgraphSdl } from '../../subgraphs/sdl.js';
import { createCollectionNames, createQdrantClient } from '../../subgraphs/search/store/qdrant.js';
import { removeTestData } from '../knowledge/support/knowledge-fixture.js';
import { createSmallGraph } from '../knowledge/support/small-graph.js';
import { startReplicas, stopReplicas, type Replica } from './replica-processes.js';

const subgraphNames = ['knowledge', 'operations', 'search'] as const;
export type SubgraphSet = Record<(typeof subgraphNames)[number], Replica>;

/**
 * Gateways and subgraph replicas, each a process of its own, over the same real stores; gateway
 * `i` reaches the subgraphs of set `i` only (GATEWAY_*_URL), so a request through one gateway and
 * the next through another are served by different processes throughout.
 */
export interface ReplicatedDeployment {
  /** Ids of the small knowledge graph (its patients: `patient-1`, `patient-2`). */
  prefix: string;
  sets: SubgraphSet[];
  gateways: Replica[];
  /** A token whose subject is this deployment's own (its Redis keys are removed on stop). */
  token(name: string, role: Role, patientId?: string): Promise<string>;
  stop(): Promise<void>;
}

const config = loadConfig({ ...process.env, LOG_LEVEL: 'error' });

/** `gatewayEnv`: variables of the gateways on top of those every process gets. */
export async function startReplicatedDeployment(options: { replicas: number; gatewayEnv: Record<string, string> }): Promise<ReplicatedDeployment> {
  const run = randomUUID().slice(0, 8);
  const prefix = `sc${run}-`;
  const streamPrefix = `test-scale-${run}`;
  const collectionPrefix = `t_scale_${run}_`;
  const env = { LOG_LEVEL: 'warn', EVENT_STREAM_PREFIX: streamPrefix, QDRANT_COLLECTION_PREFIX: collectionPrefix, OPERATIONS_VIEW_REFRESH_SECONDS: '0' };
  const driver = createNeo4jDriver(config.neo4j);
  await createSmallGraph(driver, prefix);
  const started: Replica[] = [];
  const stop = async () => {
    await stopReplicas(started);
    await removeTestData(driver, prefix);
    await driver.close();
    const qdrant = createQdrantClient(config.qdrant);
    for (const name of Object.values(createCollectionNames(collectionPrefix))) if ((await qdrant.collectionExists(name)).exists) await qdrant.deleteCollection(name);
    await deleteRedisKeys([`${streamPrefix}*`, `gw:*${run}*`, `sg:*${run}*`], run);
  };
  try {
    const subgraphs = await startReplicas(Array.from({ length: options.replicas }, () => subgraphNames.map((name) => [name, env] as const)).flat());
    started.push(...subgraphs);
    const sets = Array.from({ length: options.replicas }, (_, index) => Object.fromEntries(subgraphNames.map((name, position) => [name, subgraphs[index * subgraphNames.length + position]])) as SubgraphSet);
    const [first] = sets as [SubgraphSet];
    const supergraph = join(await mkdtemp(join(tmpdir(), 'scaling-')), 'supergraph.graphql');
    await writeFile(supergraph, composeSupergraph(subgraphNames.map((name) => ({ name, url: `${first[name].url}/graphql`, sdl: subgraphSdl[name] }))));
    const gateways = await startReplicas(
      sets.map((set) => ['gateway', { ...env, ...options.gatewayEnv, GATEWAY_SUPERGRAPH: supergraph, ...Object.fromEntries(subgraphNames.map((name) => [`GATEWAY_${name.toUpperCase()}_URL`, `${set[name].url}/graphql`])) }, '/readyz'] as const),
    );
    started.push(...gateways);
    const token = (name: string, role: Role, patientId?: string) => signDevToken(config.auth, { sub: `scale-${run}-${name}`, role, ...(patientId ? { patientId: `${prefix}${patientId}` } : {}) });
    return { prefix, sets, gateways, token, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Keys matching `patterns`, and the response cache's tag-set members that name `run` (the `gw:` and `sg:` prefixes are shared). */
async function deleteRedisKeys(patterns: string[], run: string): Promise<void> {
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
  try {
    const scan = async (match: string) => {
      const keys: string[] = [];
      for await (const batch of redis.scanStream({ match, count: 500 }) as AsyncIterable<string[]>) keys.push(...batch);
      return keys;
    };
    for (const pattern of patterns) for (const key of await scan(pattern)) await redis.del(key);
    for (const tag of await scan('gw:rc:tag:*')) {
      const ours = (await redis.smembers(tag)).filter((member) => member.includes(run));
      if (ours.length > 0) await redis.srem(tag, ...ours);
    }
  } finally {
    await redis.quit();
  }
}
