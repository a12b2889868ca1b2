import { readdirSync, readFileSync } from 'node:fs';

/* CPU time and resident memory of processes, read from /proc (Linux), for the benchmark's "who is busy" columns. */

const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The process and all its descendants (PostgreSQL serves each connection from a child of the postmaster). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = Number(statFields(pid)?.[1]);
    if (parent) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/**
 * User + system CPU seconds used so far by the process and its descendants: the living ones, and those that
 * exited and were waited for (counted in their parent's cutime/cstime), like PostgreSQL's closed backends.
 */
export function cpuSeconds(root: number): number {
  const [rootFields, ...descendants] = processTree(root).map(statFields);
  const own = (fields: string[] | undefined) => (fields ? Number(fields[11]) + Number(fields[12]) : 0);
  const waitedFor = rootFields ? Number(rootFields[13]) + Number(rootFields[14]) : 0;
  return (own(rootFields) + waitedFor + descendants.reduce((total, fields) => total + own(fields), 0)) / TICKS_PER_SECOND;
}

export function rssMiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface WatchedProcess {
  name: string;
  pid: number;
}

export interface ProcessUsage {
  name: string;
  /** Cores used on average over the window: 1 is one core busy all the time. */
  cores: number;
  peakRssMiB: number;
}

/** Watches processes over a window: CPU used and peak RSS (sampled every 500 ms). */
export function watchProcesses(processes: WatchedProcess[]): { stop(): ProcessUsage[] } {
  const started = Date.now();
  const cpuAtStart = processes.map(({ pid }) => cpuSeconds(pid));
  const peaks = processes.map(({ pid }) => rssMiB(pid));
  const sampler = setInterval(() => processes.forEach(({ pid }, index) => (peaks[index] = Math.max(peaks[index]!, rssMiB(pid)))), 500);
  return {
    stop() {
      clearInterval(sampler);
      const seconds = (Date.now() - started) / 1000;
      return processes.map(({ name, pid }, index) => ({
        name,
        cores: seconds > 0 ? (cpuSeconds(pid) - cpuAtStart[index]!) / seconds : Number.NaN,
        peakRssMiB: Math.max(peaks[index]!, rssMiB(pid)),
      }));
    },
  };
}
