import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, describe, expect, it } from 'vitest';
import { createQdrantStore } from '../../stack/qdrant.js';
import { freePort } from '../support/free-port.js';
import { useQdrantContract } from './qdrant-contract.js';

const { config, runId, realFetch, fixtures } = useQdrantContract();

describe('persistence', () => {
  let child: ChildProcess | undefined;
  const storage = mkdtempSync(join(tmpdir(), 'qdrant-standin-'));

  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    rmSync(storage, { recursive: true, force: true });
  });

  async function start(python: string, script: string, port: number): Promise<ChildProcess> {
    const process = spawn(python, ['-u', '-B', script, '--port', String(port), '--storage', storage], { stdio: 'ignore' });
    for (let i = 0; i < 100; i += 1) {
      try {
        if ((await realFetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return process;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    process.kill('SIGKILL');
    throw new Error('the stand-in did not become ready');
  }

  async function stop(process: ChildProcess): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => process.once('exit', (code) => resolve(code)));
    process.kill('SIGTERM');
    return exited;
  }

  it('keeps collections, config, indexes and points across a restart', { timeout: 60_000 }, async () => {
    const plan = await createQdrantStore(config).prepare();
    const script = plan.args.find((arg) => arg.endsWith('server.py'))!;
    const port = await freePort();
    const local = new QdrantClient({ url: `http://127.0.0.1:${port}`, checkCompatibility: false });
    const name = `persist_${runId}`;

    child = await start(plan.command, script, port);
    await local.createCollection(name, { vectors: { size: 4, distance: 'Cosine' }, hnsw_config: { m: 8 } });
    await local.createPayloadIndex(name, { field_name: 'category', field_schema: 'keyword', wait: true });
    await local.upsert(name, { wait: true, points: fixtures });
    const query = { query: [0.9, 0.3, 0.1, 0], filter: { must: [{ key: 'category', match: { value: 'cardio' } }] }, with_payload: true };
    const before = await local.query(name, query);
    expect(await stop(child)).toBe(0);

    child = await start(plan.command, script, port);
    const info = await local.getCollection(name);
    expect(info.points_count).toBe(fixtures.length);
    expect(info.config.params.vectors).toEqual({ size: 4, distance: 'Cosine' });
    expect(info.config.hnsw_config.m).toBe(8);
    expect(info.payload_schema.category?.data_type).toBe('keyword');
    expect(await local.query(name, query)).toEqual(before);
    expect(await stop(child)).toBe(0);
  });
});
