import type { VerificationReport } from '../verify/verify-domain.js';

/** The reconciliation report of one verification, in Markdown: the seed's sections, record ids and field names only. */
export function verificationMarkdown(reports: readonly VerificationReport[]): string {
  const lines: string[] = ['# Reconciliation report', ''];
  for (const report of reports) {
    lines.push(`## ${report.domain}: ${report.consistent ? 'consistent' : 'NOT consistent'}`, '');
    lines.push(`Stage \`${report.stage}\`, verified ${report.startedAt} to ${report.finishedAt}.`, '');
    lines.push('| records | legacy | PostgreSQL | missing | extra | differing | legacy checksum | PostgreSQL checksum |', '|---|---:|---:|---:|---:|---:|---|---|');
    for (const kind of report.kinds) lines.push(`| ${kind.kind} | ${kind.legacy} | ${kind.postgres} | ${kind.missing.length} | ${kind.extra.length} | ${kind.differing.length} | \`${kind.aggregates.legacy}\` | \`${kind.aggregates.postgres}\` |`);
    lines.push('');
    for (const kind of report.kinds) {
      if (kind.missing.length > 0) lines.push(`### Missing ${kind.kind}s (in legacy, not in PostgreSQL)`, '', ...kind.missing.map((id) => `- \`${id}\``), '');
      if (kind.extra.length > 0) lines.push(`### Extra ${kind.kind}s (in PostgreSQL, not in legacy)`, '', ...kind.extra.map((id) => `- \`${id}\``), '');
      if (kind.differing.length > 0) lines.push(`### Differing ${kind.kind}s`, '', ...kind.differing.map((difference) => `- \`${difference.id}\`: ${difference.fields.join(', ')}`), '');
    }
    lines.push(`### Sample`, '', `${report.sample.size} records compared field by field; ${report.sample.differing.length} differ.`, ...report.sample.differing.map((difference) => `- ${difference.kind} \`${difference.id}\`: ${difference.fields.join(', ')}`), '');
    const listed = (title: string, records: VerificationReport['orphans']) => {
      lines.push(`### ${title} (${records.length})`, '');
      if (records.length > 0) lines.push('| record | id | fields | reason |', '|---|---|---|---|', ...records.map((record) => `| ${record.recordKind} | \`${record.recordId}\` | ${record.fields.join(', ')} | ${record.reason.replaceAll('|', '\\|')} |`));
      lines.push('');
    };
    listed('Orphans', report.orphans);
    listed('Unreadable in legacy', report.unreadable);
    listed('Reported by the backfill', report.reported);
  }
  return lines.join('\n');
}
