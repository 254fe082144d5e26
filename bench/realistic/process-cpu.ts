import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks of 1/100 s (CLK_TCK, fixed at 100 on this platform). */
const msPerTick = 10;

interface ProcessStat {
  pid: number;
  parent: number;
  /** user + system time of the process itself, and of the children it has waited for. */
  ownMs: number;
  reapedMs: number;
}

function readStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // the command name (field 2) may hold spaces and parentheses: the fields after it start at the last ')'
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (number: number) => Number(fields[number - 3]);
  return { pid, parent: field(4), ownMs: (field(14) + field(15)) * msPerTick, reapedMs: (field(16) + field(17)) * msPerTick };
}

/**
 * CPU milliseconds used so far by a process and all its descendants (a store and its workers;
 * PostgreSQL's backends start sessions of their own, so process groups would miss them): every
 * live one, plus what each has reaped of its ended children (PostgreSQL's ended backends).
 */
export function treeCpuMs(root: number): number {
  const stats = readdirSync('/proc').flatMap((entry) => (/^\d+$/.test(entry) ? [readStat(Number(entry))] : [])).filter((stat) => stat !== undefined);
  const children = new Map<number, ProcessStat[]>();
  for (const stat of stats) children.set(stat.parent, [...(children.get(stat.parent) ?? []), stat]);
  let total = 0;
  const pending = stats.filter((stat) => stat.pid === root);
  for (let stat = pending.pop(); stat; stat = pending.pop()) {
    total += stat.ownMs + stat.reapedMs;
    pending.push(...(children.get(stat.pid) ?? []));
  }
  return total;
}

/** CPU milliseconds used so far by one process (its threads included). */
export function processCpuMs(pid: number): number {
  return readStat(pid)?.ownMs ?? Number.NaN;
}

/** Named CPU counters read together: `take()` then `since(before)` gives each one's use in between. */
export function createCpuMeter(counters: Record<string, () => number>) {
  const take = () => Object.fromEntries(Object.entries(counters).map(([name, read]) => [name, read()]));
  return {
    take,
    since(before: Record<string, number>): Record<string, number> {
      const now = take();
      return Object.fromEntries(Object.entries(now).map(([name, value]) => [name, value - (before[name] ?? Number.NaN)]));
    },
  };
}
