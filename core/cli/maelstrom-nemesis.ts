// A fault schedule with the shape of Jepsen's combined nemesis, which Maelstrom's --nemesis
// uses: an operation every --nemesis-interval on average (uniform from 0 to twice it), each a
// random one of the chosen faults, which alternate start and stop (partition then heal, kill
// then restart, pause then resume). At the time limit everything is healed, restarted and
// resumed. Targets and times are drawn from the run's seed.
import { createRng, type Rng } from '../engine/prng.js';
import { nodeIds } from '../experiment/types.js';
import { formatDurationMs } from '../experiment/units.js';
import type { MaelstromNemesis } from './maelstrom-options.js';

/** A fault as an experiment file writes it. */
export type FaultEntry = { at: string } & Record<string, unknown>;

/** Jepsen's partition shapes that Distlab draws the same way. */
const PARTITIONS = ['one', 'majority', 'majorities-ring'] as const;
/** Which nodes a kill or pause hits, as Jepsen's node specs. */
const TARGETS = ['one', 'minority', 'majority', 'all'] as const;
const STOP = { kill: 'restart', pause: 'resume' } as const;

export interface NemesisPlan {
  faults: MaelstromNemesis[];
  intervalMs: number;
  timeLimitMs: number;
  nodeCount: number;
  seed: number;
}

export function nemesisSchedule(plan: NemesisPlan): FaultEntry[] {
  if (plan.faults.length === 0) return [];
  const rng = createRng(plan.seed, 'maelstrom-nemesis');
  const nodes = nodeIds(plan.nodeCount);
  const entries: FaultEntry[] = [];
  const at = (ms: number) => formatDurationMs(Math.round(ms));
  let partitioned = false;
  /** The nodes each process fault holds down until its stop operation. */
  const held: Record<'kill' | 'pause', string[]> = { kill: [], pause: [] };
  for (let t = rng.next() * 2 * plan.intervalMs; t < plan.timeLimitMs; t += rng.next() * 2 * plan.intervalMs) {
    const fault = rng.pick(plan.faults);
    if (fault === 'partition') {
      entries.push(partitioned ? { at: at(t), heal: true } : { at: at(t), partition: rng.pick(PARTITIONS) });
      partitioned = !partitioned;
    } else if (held[fault].length) {
      entries.push({ at: at(t), [STOP[fault]]: held[fault] });
      held[fault] = [];
    } else {
      held[fault] = targets(nodes, rng);
      entries.push({ at: at(t), [fault]: held[fault] });
    }
  }
  // Maelstrom's final generator: the network heals and every node runs again.
  const end = at(plan.timeLimitMs);
  if (partitioned) entries.push({ at: end, heal: true });
  for (const fault of ['kill', 'pause'] as const) if (held[fault].length) entries.push({ at: end, [STOP[fault]]: held[fault] });
  return entries;
}

function targets(nodes: string[], rng: Rng): string[] {
  const shuffled = rng.shuffle([...nodes]);
  const majority = Math.floor(nodes.length / 2) + 1;
  switch (rng.pick(TARGETS)) {
    case 'one':
      return shuffled.slice(0, 1);
    case 'minority':
      return shuffled.slice(0, Math.max(1, majority - 1));
    case 'majority':
      return shuffled.slice(0, majority);
    case 'all':
      return [...nodes];
  }
}
