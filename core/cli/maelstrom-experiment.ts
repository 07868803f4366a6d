// `maelstrom test` flags as an ordinary Distlab experiment file: the node command, the
// workload of the same name, Maelstrom's latency, and the --nemesis fault schedule.
import path from 'node:path';
import { formatDurationMs } from '../experiment/units.js';
import { nemesisSchedule } from './maelstrom-nemesis.js';
import type { MaelstromOptions, MaelstromWorkload } from './maelstrom-options.js';

/** After the last fault, Maelstrom waits this long for the system to recover before it ends. */
export const NEMESIS_RECOVERY_MS = 10_000;

const KEYED: readonly MaelstromWorkload[] = ['lin-kv', 'kafka', 'txn-rw-register', 'txn-list-append'];
const TRANSACTIONAL: readonly MaelstromWorkload[] = ['txn-rw-register', 'txn-list-append'];

export function maelstromExperiment(o: MaelstromOptions, seed: number): Record<string, unknown> {
  const faults = nemesisSchedule({ faults: o.nemesis, intervalMs: o.nemesisIntervalMs, timeLimitMs: o.timeLimitMs, nodeCount: o.nodeCount, seed });
  const [bin, ...args] = o.command;
  const file: Record<string, unknown> = {
    name: `maelstrom ${o.workload}: ${[path.basename(bin), ...args].join(' ')}`,
    seed,
    duration: formatDurationMs(o.timeLimitMs + (o.nemesis.length ? NEMESIS_RECOVERY_MS : 0)),
    nodes: { count: o.nodeCount, command: o.command },
    workload: workload(o),
  };
  const latency = latencyFile(o.latency);
  if (latency !== null) file.network = { latency };
  if (faults.length) file.faults = faults;
  return file;
}

function workload(o: MaelstromOptions): Record<string, unknown> {
  return {
    // Distlab's workload kinds carry Maelstrom's names.
    kind: o.workload,
    rate: o.rate,
    clients: o.concurrency,
    ...(o.workload === 'broadcast' && { topology: o.topology.shape, ...(o.topology.branching !== undefined && { branching: o.topology.branching }) }),
    ...(o.keyCount !== undefined && KEYED.includes(o.workload) && { keys: o.keyCount }),
    ...(o.maxTxnLength !== undefined && TRANSACTIONAL.includes(o.workload) && { maxTxnLength: o.maxTxnLength }),
    ...(o.consistencyModels !== undefined && TRANSACTIONAL.includes(o.workload) && { consistencyModels: o.consistencyModels }),
    ...(o.availability !== undefined && { availability: o.availability === 1 ? 'total' : o.availability }),
  };
}

/** Maelstrom's latency: constant, uniform from 0 to twice the mean, or exponential. */
function latencyFile(latency: MaelstromOptions['latency']): unknown {
  if (latency.meanMs === 0) return null;
  const mean = formatDurationMs(latency.meanMs);
  switch (latency.distribution) {
    case 'constant':
      return mean;
    case 'uniform':
      return { distribution: 'uniform', mean, jitter: mean };
    case 'exponential':
      return { distribution: 'exponential', mean };
  }
}
