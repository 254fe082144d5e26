import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestDomain } from '../../migration/archive/domain-graph.js';
import { writeLegacyDataset } from '../../migration/legacy/dataset/write-dataset.js';
import { runMigrate } from './migrate-cli.js';
import { startMigrationWorld, type MigrationWorld } from './world.js';

/**
 * Archive, cleanup and restore of the sessions domain on the real stores: the archive keeps
 * typed values, cleanup is refused by each of its gates and then deletes only the domain's
 * nodes, restore gives back the checksum of before.
 */
describe('archive → cleanup → restore', () => {
  let world: MigrationWorld;
  let dir: string;
  const migrate = (...args: string[]) => runMigrate(world.env, args);
  const count = async (cypher: string) => neo4j.integer.toNumber((await world.legacy.executeQuery(cypher)).records[0]?.get(0) as number);
  const knowledgeNodes = () => count('MATCH (n) WHERE NOT n:ConversationSession AND NOT n:Message RETURN count(n)');

  beforeAll(async () => {
    world = await startMigrationWorld('archive');
    dir = await mkdtemp(join(tmpdir(), 'archive-'));
    await writeLegacyDataset(world.legacy, { tag: `archive-${world.run}`, seed: 5, sessions: 150, concepts: { ids: [], names: ['Psoriasis'] } });
    for (const args of [['backfill', 'all'], ['verify', 'all']]) await migrate(...args);
  }, 180_000);
  afterAll(async () => {
    await world?.stop();
  });

  it('keeps every node and relationship with its type, and gives the checksum of before after cleanup and restore', async () => {
    const before = await digestDomain(world.legacy, 'sessions');
    const path = join(dir, 'sessions.jsonl.gz');
    const archived = await migrate('archive', 'sessions', '--out', path, '--json');
    expect(archived.code, archived.stderr).toBe(0);
    const manifest = JSON.parse(archived.stdout) as { checksum: string; counts: Record<string, number> };
    expect(manifest.checksum).toBe(before.checksum);
    expect(manifest.counts).toEqual(before.counts);
    expect(manifest.counts['relationship:HAS_SESSION']).toBeGreaterThan(0);
    // a DateTime stays a DateTime, a zone-less string a string
    const lines = gunzipSync(await readFile(path)).toString().trim().split('\n').map((line) => JSON.parse(line) as { kind: string; props: Record<string, { t: string }> });
    const startedTypes = new Set(lines.filter((line) => line.kind === 'node' && line.props.started_at).map((line) => line.props.started_at?.t));
    expect([...startedTypes].sort()).toEqual(['datetime', 'string']);

    // each gate refuses on its own
    const cleanup = (archive = path) => migrate('cleanup', 'sessions', '--archive', archive, '--yes');
    const refusal = async (expected: string, archive?: string) => {
      const result = await cleanup(archive);
      expect([result.code, result.stderr]).toEqual([3, expect.stringContaining(expected)]);
    };
    await refusal('cleanup needs rampdown or complete');
    for (const [stage, ...rest] of [['dual_write'], ['shadow'], ['live', '--rollout', '100'], ['rampdown']]) {
      const moved = await migrate('stage', 'sessions', stage as string, ...rest);
      expect(moved.code, moved.stderr).toBe(0);
    }
    const [message] = (await world.sql.query<{ id: string }>('DELETE FROM messages WHERE id = (SELECT min(id) FROM messages) RETURNING id')).rows;
    expect((await migrate('verify', 'sessions')).code).toBe(1);
    await refusal('found differences');
    await migrate('backfill', 'sessions', '--restart');
    expect((await migrate('verify', 'sessions')).code).toBe(0);
    expect(message?.id).toBeDefined();
    const [session] = (await world.legacy.executeQuery('MATCH (s:ConversationSession) WHERE s.title IS NOT NULL RETURN s.id AS id, s.title AS title LIMIT 1')).records;
    await world.legacy.executeQuery('MATCH (s:ConversationSession {id: $id}) SET s.title = "changed after the archive"', { id: session?.get('id') });
    await refusal('changed since the archive was made');
    await world.legacy.executeQuery('MATCH (s:ConversationSession {id: $id}) SET s.title = $title', { id: session?.get('id'), title: session?.get('title') });
    const damaged = join(dir, 'damaged.jsonl.gz');
    const bytes = await readFile(path);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
    await writeFile(damaged, bytes);
    await writeFile(`${damaged}.manifest.json`, await readFile(`${path}.manifest.json`));
    await refusal('is not the file its manifest describes', damaged);
    expect((await migrate('cleanup', 'sessions', '--archive', path)).code).toBe(2);

    const knowledge = await knowledgeNodes();
    const cleaned = await cleanup();
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(cleaned.stdout).toContain('What remains in the legacy store');
    expect(await count('MATCH (n) WHERE n:ConversationSession OR n:Message RETURN count(n)')).toBe(0);
    // only the domain's nodes went: patients and the knowledge graph stay
    expect(await knowledgeNodes()).toBe(knowledge);

    const restored = await migrate('restore', 'sessions', '--archive', path, '--json');
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ matchesArchive: true, unresolved: [] });
    expect((await digestDomain(world.legacy, 'sessions')).checksum).toBe(before.checksum);
    const again = await migrate('restore', 'sessions', '--archive', path);
    expect([again.code, again.stderr]).toEqual([3, expect.stringContaining('restoring would duplicate them')]);
  }, 300_000);
});
