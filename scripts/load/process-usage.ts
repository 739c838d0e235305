/**
 * CPU and memory of a process and everything it started (the server, its worker threads and its
 * `lame` children), and of the whole machine, from /proc (Linux). CPU comes as clock ticks to be
 * differenced between two readings: {@link coresBetween} turns two readings into cores used.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: clock ticks per second in /proc (100 on every mainstream build). */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime: this process's own threads. */
  ticks: number;
  /** cutime + cstime: children it has already waited for. */
  reapedTicks: number;
  rssBytes: number;
}

/** /proc/<pid>/stat, or undefined once the process is gone. */
function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: the fields start after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): field n is fields[n - 3].
  return {
    pid,
    ppid: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
    reapedTicks: Number(fields[13]) + Number(fields[14]),
    rssBytes: Number(fields[21]) * PAGE_BYTES,
  };
}

export interface TreeUsage {
  /** Seconds (from performance.now()) when read. */
  at: number;
  /** CPU ticks of the process, its live descendants, and the children it reaped. */
  ticks: number;
  /** Resident memory of the process alone, and of it with its live descendants (bytes). */
  rssBytes: number;
  treeRssBytes: number;
  /** Live processes in the tree (the root and its descendants). */
  processes: number;
}

/** The process `pid` and its descendants now; undefined once it is gone. */
export function readTreeUsage(pid: number): TreeUsage | undefined {
  const root = readStat(pid);
  if (!root) return undefined;
  const byParent = new Map<number, ProcStat[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (!stat) continue;
    const siblings = byParent.get(stat.ppid);
    if (siblings) siblings.push(stat);
    else byParent.set(stat.ppid, [stat]);
  }
  let ticks = root.ticks + root.reapedTicks;
  let treeRssBytes = root.rssBytes;
  let processes = 1;
  const pending = [...(byParent.get(pid) ?? [])];
  while (pending.length > 0) {
    const child = pending.pop()!;
    ticks += child.ticks;
    treeRssBytes += child.rssBytes;
    processes++;
    pending.push(...(byParent.get(child.pid) ?? []));
  }
  return { at: performance.now() / 1000, ticks, rssBytes: root.rssBytes, treeRssBytes, processes };
}

/** Cores a process tree used between two readings (1 = one core busy all the time). */
export function coresBetween(before: TreeUsage, after: TreeUsage): number {
  return (after.ticks - before.ticks) / TICKS_PER_SECOND / (after.at - before.at);
}

export interface MachineTicks {
  busy: number;
  total: number;
}

/** Busy and total ticks of the whole machine, every core together (/proc/stat's cpu line). */
export function readMachineTicks(): MachineTicks {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already in user
  return { busy: total - idle, total };
}

/** Cores busy on the machine between two readings, out of `cores`. */
export function machineCoresBetween(before: MachineTicks, after: MachineTicks, cores: number): number {
  return ((after.busy - before.busy) / Math.max(1, after.total - before.total)) * cores;
}

/**
 * Connections the kernel dropped because a listening socket's accept queue was full (TcpExt
 * ListenOverflows, the whole machine): each costs its client a SYN retry, a second or more.
 */
export function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const header = lines.findIndex((line) => line.startsWith('TcpExt:'));
  const names = lines[header].split(/\s+/);
  const values = lines[header + 1].split(/\s+/);
  return Number(values[names.indexOf('ListenOverflows')] ?? 0);
}

/** The 1-minute load average. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}
