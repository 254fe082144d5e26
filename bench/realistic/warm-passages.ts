import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Config } from '../../lib/config.js';
import { signDevToken } from '../../lib/auth.js';
import { createPost } from '../gateway/load.js';

/** Messages per search-subgraph request: one batch of passage searches each. */
const batchSize = 200;
/** What a read shows of a session: the cross-store query's `messages(first: 20)`. */
const messagesRead = 20;

const passagesOf = 'query($r:[_Any!]!){_entities(representations:$r){...on Message{supportingPassages(k:3){score}}}}';

/**
 * Puts the supporting passages of every message the reads show (each session's first 20) in the
 * search subgraph's passage memo, as a deployment that has served its sessions before holds them
 * (the memo keeps a result until a chunk write or 24 hours): the measured reads then pay for
 * searching only messages posted during the run. The searches go through the search subgraph
 * itself, with the representation the gateway sends, so they fill exactly the entries reads look
 * up. The memo outlives the run: a later run over unchanged chunks finds them all, and this takes
 * seconds instead of minutes.
 */
export async function warmPassageMemo(config: Config, searchUrl: string): Promise<void> {
  const started = performance.now();
  const pool = new pg.Pool({ connectionString: config.postgres.url, max: 1 });
  const token = await signDevToken(config.auth, { sub: 'bench-passage-warmer', role: 'service' });
  const { post, close } = createPost({ authorization: `Bearer ${token}` }, 2);
  try {
    const { rows } = await pool.query<{ id: string; content: string; mentions: string[] }>(
      `SELECT id, content, related_concepts AS mentions FROM (
         SELECT m.*, row_number() OVER (PARTITION BY m.session_id ORDER BY m.created_at, m.id) AS position FROM messages m) ranked
       WHERE position <= $1 ORDER BY id`,
      [messagesRead],
    );
    const batches = Array.from({ length: Math.ceil(rows.length / batchSize) }, (_, index) => rows.slice(index * batchSize, (index + 1) * batchSize));
    let done = 0;
    // two requests in flight: one searching while the other's answer travels
    const worker = async (): Promise<void> => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        const representations = batch.map((row) => ({ __typename: 'Message', id: row.id, content: row.content, mentions: row.mentions.map((id) => ({ id })) }));
        await post(searchUrl, JSON.stringify({ query: passagesOf, variables: { r: representations } }));
        done += batch.length;
        if (done % 20_000 < batchSize) console.log(`bench: passages of ${done} of ${rows.length} messages in the memo (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
    };
    await Promise.all([worker(), worker()]);
    console.log(`bench: passages of ${rows.length} messages in the memo in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    close();
    await pool.end();
  }
}
