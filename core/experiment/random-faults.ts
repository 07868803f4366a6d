// Random faults (`faults: { random: { kill: 0.1, … } }`) drawn from the seed into a concrete
// schedule before a run, so that the run's stored experiment holds the faults as a plain list:
// replay, Run again and a real-process run of the same seed meet exactly the same faults.
//
// Each second of virtual time and each kind has its own random stream, so the faults of one
// kind do not move when another kind's rate changes, and a lower rate only removes faults.
import { createRng, type Rng } from '../engine/prng.js';
import { RANDOM_FAULT_KINDS } from './schema.js';
import { nodeIds, type Experiment, type LossModel, type NodeId, type RandomFaultKind, type ScheduledFault } from './types.js';

/** During a loss burst every link loses this share of its messages. */
export const LOSS_BURST_P = 0.5;

/** One fault and what ends it (a restart, resume, heal or the network's own loss `lastsMs` later), if that comes within the run. */
export interface FaultEpisode {
  /** The random kind that drew it, or `fixed` for a fault the file lists. */
  kind: RandomFaultKind | 'fixed';
  start: ScheduledFault;
  end?: ScheduledFault;
}

/** The experiment with its random faults drawn: the concrete list in `faults`, no `randomFaults`. */
export function withRandomFaults(experiment: Experiment): Experiment {
  if (!experiment.randomFaults) return experiment;
  return withEpisodes(experiment, faultEpisodes(experiment));
}

/** The file's fixed faults and the drawn ones, as episodes (what shrinking removes one at a time). */
export function faultEpisodes(experiment: Experiment): FaultEpisode[] {
  const fixed = experiment.faults.map((start): FaultEpisode => ({ kind: 'fixed', start }));
  const spec = experiment.randomFaults;
  if (!spec) return fixed;
  const nodes = nodeIds(experiment.nodes.count);
  const drawn: FaultEpisode[] = [];
  for (let second = 0; second * 1000 < experiment.durationMs; second++) {
    for (const kind of RANDOM_FAULT_KINDS) {
      const rate = spec.rates[kind] ?? 0;
      if (rate <= 0) continue;
      const rng = createRng(experiment.seed, `random-faults/${kind}/${second}`);
      // Drawn first and always, so that the chance alone decides whether this slot has a fault.
      const chance = rng.next();
      const atMs = Math.min(experiment.durationMs, second * 1000 + Math.floor(rng.next() * 1000));
      if (chance >= rate || atMs >= experiment.durationMs) continue;
      const episode = drawEpisode(kind, atMs, spec.lastsMs, nodes, rng, experiment.network.defaults.loss);
      if (!episode) continue;
      if (episode.end && episode.end.atMs > experiment.durationMs) endAfterRun(episode, experiment.durationMs);
      drawn.push(episode);
    }
  }
  return [...fixed, ...drawn];
}

/**
 * An end due after the run: a node stays down or paused, a partition or cut in force (the final
 * phase of a workload with final reads heals and resumes them); but a loss burst ends with the
 * run, as nothing else would end it before the final reads.
 */
export function endAfterRun(episode: FaultEpisode, durationMs: number): FaultEpisode {
  if (episode.kind === 'loss' && episode.end) episode.end = { ...episode.end, atMs: durationMs };
  else delete episode.end;
  return episode;
}

/** The experiment with exactly these episodes as its faults, in time order (the listed order at equal times). */
export function withEpisodes(experiment: Experiment, episodes: readonly FaultEpisode[]): Experiment {
  const faults = episodes.flatMap((e) => (e.end ? [e.start, e.end] : [e.start]));
  const { randomFaults: _drawn, ...concrete } = experiment;
  // Array.prototype.sort is stable: faults at one time keep the episodes' order.
  return { ...concrete, faults: faults.sort((a, b) => a.atMs - b.atMs) };
}

function drawEpisode(kind: RandomFaultKind, atMs: number, lastsMs: number, nodes: NodeId[], rng: Rng, normalLoss: LossModel): FaultEpisode | null {
  const endMs = atMs + lastsMs;
  const node = rng.pick(nodes);
  switch (kind) {
    case 'kill':
      return { kind, start: { atMs, action: { kind: 'kill', nodes: [node] } }, end: { atMs: endMs, action: { kind: 'restart', nodes: [node] } } };
    case 'restart':
      return { kind, start: { atMs, action: { kind: 'restart', nodes: [node] } } };
    case 'pause':
      return { kind, start: { atMs, action: { kind: 'pause', nodes: [node] } }, end: { atMs: endMs, action: { kind: 'resume', nodes: [node] } } };
    case 'partition': {
      if (nodes.length < 2) return null;
      const shuffled = rng.shuffle([...nodes]);
      const split = 1 + rng.int(nodes.length - 1);
      const groups = [shuffled.slice(0, split).sort(byNodeNumber), shuffled.slice(split).sort(byNodeNumber)];
      return { kind, start: { atMs, action: { kind: 'partition', groups } }, end: { atMs: endMs, action: { kind: 'heal' } } };
    }
    case 'cut': {
      if (nodes.length < 2) return null;
      const to = rng.pick(nodes.filter((n) => n !== node));
      return { kind, start: { atMs, action: { kind: 'cut', from: [node], to: [to] } }, end: { atMs: endMs, action: { kind: 'heal' } } };
    }
    case 'loss':
      return {
        kind,
        start: { atMs, action: { kind: 'change-link', patch: { loss: { kind: 'bernoulli', p: LOSS_BURST_P } } } },
        end: { atMs: endMs, action: { kind: 'change-link', patch: { loss: normalLoss } } },
      };
  }
}

const byNodeNumber = (a: NodeId, b: NodeId): number => Number(a.slice(1)) - Number(b.slice(1));
