import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Embedded PostgreSQL (PGlite) served over the wire protocol: the zero-install default
 * of the main job on a machine without a PostgreSQL server. Tests use a real server.
 */
const { values } = parseArgs({
  options: { data: { type: 'string' }, port: { type: 'string', default: '5432' }, host: { type: 'string', default: '127.0.0.1' } },
});
if (!values.data) throw new Error('--data is required');

const db = await PGlite.create({ dataDir: values.data, extensions: { pg_trgm } });
const server = new PGLiteSocketServer({ db, port: Number(values.port), host: values.host, maxConnections: 100 });
await server.start();
console.log(`PGlite listening on ${values.host}:${values.port}, data in ${values.data}`);

async function shutdown(): Promise<void> {
  await server.stop();
  await db.close();
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown());
