// Who had the CPU during a measured window: per-process CPU time from /proc, grouped by
// role (the lab server with its engine, the node processes, Chromium, the rest). Used to
// tell a page's slow frames caused by its own work from frames the OS did not schedule.
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SEC = 100;

export type CpuRole = 'lab server' | 'nodes' | 'Chromium' | 'bench' | 'other';
export type CpuSnapshot = Map<number, { role: CpuRole; ticks: number }>;

function roleOf(pid: number, cmdline: string): CpuRole {
  if (pid === process.pid) return 'bench';
  if (/distlab\.js\0serve/.test(cmdline)) return 'lab server';
  if (/ui-load-node\.js|node-main\.js/.test(cmdline)) return 'nodes';
  if (/chrom/i.test(cmdline.split('\0')[0] ?? '')) return 'Chromium';
  return 'other';
}

export function cpuSnapshot(): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      snapshot.set(pid, { role: roleOf(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8')), ticks });
    } catch {
      // The process ended while we read it.
    }
  }
  return snapshot;
}

/** Cores used by each role between two snapshots (processes alive at both). */
export function coresByRole(before: CpuSnapshot, after: CpuSnapshot, windowMs: number): Record<CpuRole, number> {
  const cores: Record<CpuRole, number> = { 'lab server': 0, nodes: 0, Chromium: 0, bench: 0, other: 0 };
  for (const [pid, end] of after) {
    const start = before.get(pid);
    if (!start) continue;
    cores[end.role] += (end.ticks - start.ticks) / CLOCK_TICKS_PER_SEC / (windowMs / 1000);
  }
  return cores;
}

/** A thread's time on a core and waiting in the run queue for one, ns (/proc/…/schedstat). */
export interface SchedTimes {
  runNs: number;
  waitNs: number;
}

/** Each Chromium renderer's main thread (its tid is the process's pid), by pid. */
export function rendererMainThreads(): Map<number, SchedTimes> {
  const threads = new Map<number, SchedTimes>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const [runNs, waitNs] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
      threads.set(pid, { runNs, waitNs });
    } catch {
      // Gone, or no schedstat on this kernel.
    }
  }
  return threads;
}

/** The busiest renderer main thread between two readings: the measured page's. */
export function busiestRendererDelta(before: Map<number, SchedTimes>, after: Map<number, SchedTimes>): SchedTimes | null {
  let best: SchedTimes | null = null;
  for (const [pid, end] of after) {
    const start = before.get(pid);
    if (!start) continue;
    const delta = { runNs: end.runNs - start.runNs, waitNs: end.waitNs - start.waitNs };
    if (!best || delta.runNs > best.runNs) best = delta;
  }
  return best;
}
