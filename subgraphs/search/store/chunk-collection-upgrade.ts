import type { QdrantClient, Schemas } from '@qdrant/js-client-rest';
import { withLexical } from '../lexical/chunk-lexical.js';
import { createChunkStore, lexicalVectorName, unannounced } from './chunk-store.js';
import { callQdrant } from './qdrant.js';

/**
 * Gives a chunk collection made before lexical search its sparse vector. Qdrant cannot add a
 * vector to a collection, so the points go through a copy: every point is copied, with its
 * lexical vector, to `<name>__rebuild`; only once the copy holds as many points as the original
 * is the original made again with the new configuration and refilled from the copy, which is
 * then dropped. Each step can be repeated, so a start that dies half-way is finished by the next.
 */
export const chunkCollectionConfig = (dimension: number): Schemas['CreateCollection'] => ({
  vectors: { size: dimension, distance: 'Cosine' },
  sparse_vectors: { [lexicalVectorName]: { modifier: 'idf' } },
});

const exists = async (client: QdrantClient, name: string) => (await callQdrant(() => client.collectionExists(name))).exists;
const countOf = async (client: QdrantClient, name: string) => (await callQdrant(() => client.count(name, { exact: true }))).count;

async function hasLexicalVector(client: QdrantClient, name: string): Promise<boolean> {
  const info = await callQdrant(() => client.getCollection(name));
  return Boolean(info.config.params.sparse_vectors?.[lexicalVectorName]);
}

/** The caller announces the upgraded collection's new points once it is done (ensureCollections' result). */
async function copyPoints(client: QdrantClient, from: string, to: string): Promise<void> {
  const target = createChunkStore(client, to, unannounced);
  for await (const page of createChunkStore(client, from, unannounced).scrollAll(256, true)) await target.upsert(page.map(withLexical), 256);
}

/**
 * For an existing chunk collection (of the right dimension): returns whether anything was
 * upgraded, or an interrupted upgrade finished.
 */
export async function upgradeChunkCollection(client: QdrantClient, name: string, dimension: number, log: (line: string) => void): Promise<boolean> {
  const copy = `${name}__rebuild`;
  const copyExists = await exists(client, copy);
  if (!(await hasLexicalVector(client, name))) {
    if (!copyExists) await callQdrant(() => client.createCollection(copy, chunkCollectionConfig(dimension)));
    log(`search: giving the ${await countOf(client, name)} chunk points of ${name} lexical vectors (through ${copy})`);
    await copyPoints(client, name, copy);
    const [original, copied] = await Promise.all([countOf(client, name), countOf(client, copy)]);
    if (copied !== original) throw new Error(`Upgrading ${name}: the copy holds ${copied} points, the original ${original}; nothing was deleted. Start again to retry.`);
    await callQdrant(() => client.deleteCollection(name));
    await callQdrant(() => client.createCollection(name, chunkCollectionConfig(dimension)));
  } else if (!copyExists) {
    return false;
  }
  await copyPoints(client, copy, name);
  await callQdrant(() => client.deleteCollection(copy));
  log(`search: ${name} upgraded to hybrid search (${await countOf(client, name)} points)`);
  return true;
}
