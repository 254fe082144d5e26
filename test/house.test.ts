import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house rules a newcomer can rely on: small files, no import cycles, and subgraphs that meet
 * only in the supergraph (none imports another's code).
 */
const root = join(import.meta.dirname, '..');
const skipped = new Set(['node_modules', '.git', '.stack', 'drizzle', 'schema']);

function sourceFiles(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name) || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|py|java)$/.test(entry.name) ? [relative(root, path)] : [];
  });
}

const files = sourceFiles();
const lines = new Map(files.map((file) => [file, readFileSync(join(root, file), 'utf8').split('\n').length]));

/** Relative imports of the TypeScript files, resolved to files. */
function importGraph(): Map<string, string[]> {
  const typescript = new Set(files.filter((file) => file.endsWith('.ts')));
  return new Map(
    [...typescript].map((file) => {
      const text = readFileSync(join(root, file), 'utf8');
      const targets = [...text.matchAll(/^(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)].map((match) => normalize(join(dirname(file), (match[1] ?? '').replace(/\.js$/, '.ts'))));
      return [file, targets.filter((target) => typescript.has(target))];
    }),
  );
}

function cyclesOf(graph: Map<string, string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('the house', () => {
  it('keeps every source file under 300 lines, and the median under 100', () => {
    expect([...lines].filter(([, count]) => count > 300).map(([file, count]) => `${file}: ${count}`)).toEqual([]);
    const sorted = [...lines.values()].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(100);
  });

  it('has no import cycles', () => {
    expect(cyclesOf(importGraph())).toEqual([]);
  });

  it('lets no subgraph import another subgraph’s code', () => {
    const crossings = [...importGraph()].flatMap(([file, targets]) => {
      const own = /^subgraphs\/([^/]+)\//.exec(file)?.[1];
      if (!own) return [];
      return targets.filter((target) => /^subgraphs\/[^/]+\//.test(target) && !target.startsWith(`subgraphs/${own}/`)).map((target) => `${file} -> ${target}`);
    });
    expect(crossings).toEqual([]);
  });
});
