// The normalized experiment: what the schema produces and the engine consumes.
// Every duration is in ms, every bandwidth in bytes/s.

export type NodeId = string;

export type LatencyDistribution = 'constant' | 'uniform' | 'normal' | 'exponential' | 'pareto';

export interface LatencyModel {
  distribution: LatencyDistribution;
  meanMs: number;
  /** uniform: half-width; normal and pareto: standard deviation; constant and exponential: ignored. */
  jitterMs: number;
}

export type LossModel =
  | { kind: 'bernoulli'; p: number }
  /** Gilbert-Elliott bursts: p = P(good→bad), r = P(bad→good), loss probability inside each state. */
  | { kind: 'gilbert-elliott'; p: number; r: number; lossGood: number; lossBad: number };

export interface LinkParams {
  latency: LatencyModel;
  loss: LossModel;
  duplicate: number;
  corrupt: number;
  /** netem-style: the chosen messages skip the delay queue. */
  reorder: number;
  /** null means unlimited. */
  bandwidthBytesPerSec: number | null;
  /** Messages waiting for bandwidth beyond this are lost (netem's `limit`). */
  queueLimit: number;
}

export type LinkPatch = Partial<LinkParams>;

/** A directed link override; a missing side matches every endpoint. */
export interface LinkOverride {
  from?: NodeId;
  to?: NodeId;
  patch: LinkPatch;
}

export type PartitionPattern = 'one' | 'majority' | 'majorities-ring' | 'bridge' | 'leader';

/** In node faults, this name stands for whichever node is leader when the fault fires. */
export const LEADER = 'leader';

export type FaultAction =
  | { kind: 'kill'; nodes: NodeId[] }
  | { kind: 'stop'; nodes: NodeId[] }
  | { kind: 'pause'; nodes: NodeId[] }
  | { kind: 'resume'; nodes: NodeId[] }
  | { kind: 'restart'; nodes: NodeId[] }
  | { kind: 'partition'; groups: NodeId[][] }
  | { kind: 'partition-pattern'; pattern: PartitionPattern }
  | { kind: 'heal' }
  | { kind: 'cut'; from: NodeId[]; to: NodeId[] }
  | { kind: 'change-link'; from?: NodeId; to?: NodeId; patch: LinkPatch }
  /** A new node starts into the running experiment. */
  | { kind: 'join'; node: NodeId }
  /** A member is told the new membership, drains, and stops. */
  | { kind: 'leave'; node: NodeId };

/** The sender of the membership messages every member gets after a join or a leave. */
export const MEMBERSHIP_SENDER = 'distlab';

export interface ScheduledFault {
  atMs: number;
  action: FaultAction;
}

/** The fault kinds `faults.random` can draw, each at a chance per second of virtual time. */
export type RandomFaultKind = 'kill' | 'restart' | 'pause' | 'partition' | 'cut' | 'loss';

/**
 * Faults drawn from the seed before a run (random-faults.ts turns them into a concrete list):
 * per kind, the chance that one starts in any second; each lasts `lastsMs` before it is
 * healed, resumed or restarted.
 */
export interface RandomFaultSpec {
  rates: Partial<Record<RandomFaultKind, number>>;
  lastsMs: number;
}

/** A node's clock runs `skewMs` ahead (negative: behind) and fast by `driftPpm` (negative: slow). */
export interface ClockSpec {
  skewMs: number;
  driftPpm: number;
}

export interface NodesSpec {
  count: number;
  /** Exactly one of program and command is set. */
  program?: string;
  command?: string[];
  params: Record<string, unknown>;
  initTimeoutMs: number;
  /** How long a leaving node keeps running after it is told the new membership, to hand its data over. */
  leaveDrainMs?: number;
  /** Bytes of messages the engine holds for a node that does not read before they overflow. */
  inboxLimitBytes: number;
  env: Record<string, string>;
  cwd?: string;
  /** Every node's clock; `clocks` overrides it per node. */
  clock: ClockSpec;
  clocks: Record<NodeId, ClockSpec>;
}

/** Maelstrom's workloads by their names; `kv` is the older name of `lin-kv`. */
export type WorkloadKind =
  | 'echo'
  | 'unique-ids'
  | 'broadcast'
  | 'g-set'
  | 'g-counter'
  | 'pn-counter'
  | 'lin-kv'
  | 'kv'
  | 'kafka'
  | 'txn-rw-register'
  | 'txn-list-append'
  | 'requests'
  | 'none';

export interface WorkloadSpec {
  kind: WorkloadKind;
  /** Operations per second across all clients. */
  rate: number;
  clients: number;
  timeoutMs: number;
  /** closed: a client waits for each answer before its next request; open: requests go out at the rate regardless. */
  loop: 'open' | 'closed';
  /** lin-kv, kafka, txn-*: how many distinct keys. lin-kv: the relative weights of reads, writes and cas. */
  keys: number;
  mix: { read: number; write: number; cas: number };
  /** broadcast: the neighbours each node is told about first, by shape or as an explicit map; a tree's fan-out. */
  topology?: 'grid' | 'line' | 'tree' | 'total' | 'ring' | Record<string, string[]>;
  branching?: number;
  /** Maelstrom's --availability: the least fraction of operations that must succeed (1 for total); unset, none is required. */
  availability?: number;
  /** txn-*: the most micro-operations in one transaction (each has 1 to this many). */
  maxTxnLength?: number;
  /** txn-*: the consistency models the transaction check judges against (strict-serializable by default). */
  consistencyModels?: string[];
  /** broadcast, g-set, counters: the quiet wait after faults heal, before the final reads on every node. */
  finalQuietMs?: number;
  /** requests: what a client does when a request is rejected (error 11), and how often it tries. */
  retry?: RetrySpec;
}

/**
 * requests: `none` gives up on a rejection; `immediate` sends it again at once; `backoff`
 * waits min(maxMs, baseMs·2^k) after its k-th rejection (k from 0), or a random time up to
 * that with full jitter. A request is tried at most `attempts` times in all.
 */
export interface RetrySpec {
  policy: 'none' | 'immediate' | 'backoff';
  attempts: number;
  backoff: { baseMs: number; maxMs: number; jitter: 'full' | 'none' };
}

/** real: one OS process per node on real time; simulate: all nodes in one process on virtual time. */
export type RunMode = 'real' | 'simulate';

/**
 * One step of a stepped simulation: what happens next. Messages are named by the network's
 * message id, timers by node and name; `next` is whatever the scheduler would run next.
 */
export type StepChoice =
  | { kind: 'next' }
  | { kind: 'deliver'; messageId: number }
  | { kind: 'drop'; messageId: number }
  /** A copy joins the messages in flight (due when the original is); the original stays. */
  | { kind: 'duplicate'; messageId: number }
  | { kind: 'fire'; node: string; timer: string };

export interface Experiment {
  name: string;
  /** Absent means real. */
  mode?: RunMode;
  seed: number;
  /** True when the file had no seed and one was drawn at random. */
  seedWasRandom: boolean;
  durationMs: number;
  nodes: NodesSpec;
  network: { defaults: LinkParams; links: LinkOverride[] };
  faults: ScheduledFault[];
  /** Faults still to be drawn from the seed; absent once drawn (a run's stored experiment has the concrete list). */
  randomFaults?: RandomFaultSpec;
  workload: WorkloadSpec;
  /** Switch port on 127.0.0.1; 0 picks a free one. */
  switchPort: number;
  /**
   * mode: simulate only. A stepped run: after bring-up these choices are taken one by one,
   * and the run ends after the last (what step.save records).
   */
  steps?: StepChoice[];
}

export function nodeIds(count: number): NodeId[] {
  return Array.from({ length: count }, (_, i) => `n${i + 1}`);
}

export function clientIds(count: number): NodeId[] {
  return Array.from({ length: count }, (_, i) => `c${i + 1}`);
}

export function isSimulated(experiment: Experiment): boolean {
  return experiment.mode === 'simulate';
}
