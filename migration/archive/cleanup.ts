import neo4j, { type Driver } from 'neo4j-driver';
import type { Database } from '../../subgraphs/operations/store/index.js';
import { readLegacy, writeLegacy } from '../legacy/driver.js';
import type { MigrationDomain } from '../stages/stage-rules.js';
import { readStoredStages } from '../store/stage-store.js';
import { lastVerification } from '../store/verification-store.js';
import { archiveFileHash, readManifest } from './archive-file.js';
import { SafetyGateRefusal } from '../safety-gate.js';
import { cypherName, digestDomain, domainLabels } from './domain-graph.js';

/**
 * Deletes a domain's legacy data (the seed's phase 6), in batches, only past its safety
 * gates: the domain is at `rampdown` or `complete`, its last verification was consistent, and
 * the archive given is whole and holds legacy exactly as it is now. The knowledge graph's
 * nodes are never touched: only nodes with the domain's own labels are deleted.
 */

export async function cleanupRefusals(db: Database, legacy: Driver, domain: MigrationDomain, archivePath: string): Promise<string[]> {
  const reasons: string[] = [];
  const stage = (await readStoredStages(db))[domain]?.stage ?? 'legacy';
  if (stage !== 'rampdown' && stage !== 'complete') reasons.push(`${domain} is at ${stage}: cleanup needs rampdown or complete (PostgreSQL authoritative)`);
  const verification = await lastVerification(db, domain);
  if (!verification) reasons.push(`${domain} was never verified: run verify ${domain} first`);
  else if (!verification.consistent) reasons.push(`the last verification of ${domain} (${verification.finishedAt.toISOString()}) found differences`);
  const manifest = await readManifest(archivePath).catch((error: unknown) => {
    reasons.push((error as Error).message);
    return undefined;
  });
  if (manifest) {
    if (manifest.domain !== domain) reasons.push(`the archive holds ${manifest.domain}, not ${domain}`);
    if ((await archiveFileHash(archivePath).catch(() => 'unreadable')) !== manifest.fileSha256) reasons.push(`${archivePath} is not the file its manifest describes (damaged or replaced)`);
    const now = await digestDomain(legacy, domain);
    if (now.checksum !== manifest.checksum) reasons.push(`legacy ${domain} changed since the archive was made (counts now ${JSON.stringify(now.counts)}, archived ${JSON.stringify(manifest.counts)}): archive again`);
  }
  return reasons;
}

/** What is left in the legacy store by label, most first (the seed's closing query). */
export async function remainingByLabel(legacy: Driver): Promise<{ labels: string[]; count: number }[]> {
  const records = await readLegacy(legacy, 'MATCH (n) RETURN labels(n) AS labels, count(*) AS count ORDER BY count DESC');
  return records.map((record) => ({ labels: record.get('labels') as string[], count: neo4j.integer.toNumber(record.get('count') as number) }));
}

export async function cleanupDomain(db: Database, legacy: Driver, domain: MigrationDomain, archivePath: string, options: { batchSize: number; progress?: (deleted: number) => void }): Promise<{ deleted: number; remaining: { labels: string[]; count: number }[] }> {
  const reasons = await cleanupRefusals(db, legacy, domain, archivePath);
  if (reasons.length > 0) throw new SafetyGateRefusal(`cleanup of ${domain}`, reasons);
  let deleted = 0;
  for (const label of domainLabels[domain]) {
    for (;;) {
      const count = await writeLegacy(legacy, async (tx) => {
        const result = await tx.run(`MATCH (n:${cypherName(label)}) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS deleted`, { batch: neo4j.int(options.batchSize) });
        return neo4j.integer.toNumber(result.records[0]?.get('deleted') as number);
      });
      deleted += count;
      options.progress?.(deleted);
      if (count === 0) break;
    }
  }
  return { deleted, remaining: await remainingByLabel(legacy) };
}
