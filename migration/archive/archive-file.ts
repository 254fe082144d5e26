import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Driver } from 'neo4j-driver';
import { z } from 'zod';
import type { MigrationDomain } from '../stages/stage-rules.js';
import { domainGraph, GraphDigest, type ArchivedItem } from './domain-graph.js';

/**
 * A domain's archive: JSON Lines, gzip, one node or relationship a line with typed values, and
 * beside it `<file>.manifest.json` with the counts, the data's checksum and the file's hash.
 */

const manifestSchema = z.object({
  format: z.literal('synapseflow-legacy-archive/1'),
  domain: z.enum(['sessions', 'feedback', 'documents']),
  createdAt: z.string(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
  fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ArchiveManifest = z.infer<typeof manifestSchema>;

export const manifestPath = (archivePath: string) => `${archivePath}.manifest.json`;

/** Hashes what passes through it. */
function hashing(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

/** Writes the archive and its manifest (the archive first, under a temporary name: a manifest always describes a whole file). */
export async function writeArchive(driver: Driver, domain: MigrationDomain, path: string, progress: (items: number) => void = () => undefined): Promise<ArchiveManifest> {
  const digest = new GraphDigest();
  const fileHash = createHash('sha256');
  let items = 0;
  async function* lines(): AsyncGenerator<string> {
    for await (const item of domainGraph(driver, domain)) {
      digest.add(item);
      items += 1;
      if (items % 10_000 === 0) progress(items);
      yield `${JSON.stringify(item)}\n`;
    }
  }
  const partial = `${path}.partial`;
  await pipeline(lines, createGzip(), hashing(fileHash), createWriteStream(partial));
  await rename(partial, path);
  const manifest: ArchiveManifest = { format: 'synapseflow-legacy-archive/1', domain, createdAt: new Date().toISOString(), counts: digest.counts, checksum: digest.checksum(), fileSha256: fileHash.digest('hex') };
  await writeFile(manifestPath(path), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The manifest of an archive, checked; throws naming what is wrong. */
export async function readManifest(path: string): Promise<ArchiveManifest> {
  let text: string;
  try {
    text = await readFile(manifestPath(path), 'utf8');
  } catch {
    throw new Error(`${manifestPath(path)}: no manifest beside the archive`);
  }
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${manifestPath(path)}: not a manifest of this tool (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}

/** The sha256 of the archive file as it is on disk. */
export async function archiveFileHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hashing(hash), async function* (source) {
    for await (const _chunk of source) yield;
  });
  return hash.digest('hex');
}

/** The archive's items in file order. */
export async function* readArchive(path: string): AsyncGenerator<ArchivedItem> {
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) yield JSON.parse(line) as ArchivedItem;
}
