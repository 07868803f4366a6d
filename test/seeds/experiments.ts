// One short simulated experiment per built-in protocol meant to be correct, with the faults it
// claims to tolerate and its workload: what the many-seed tests run each seed of. Three nodes
// and a second or two of virtual time keep a seed to a few milliseconds.
// Left out on purpose: the programs broken for a lesson (lin-kv-stale, g-counter-lossy,
// txn-write-cycle, primary-backup async) and the demo programs (echo, ping, flood, pingpong).

const lan = { distribution: 'normal', mean: '3ms', jitter: '2ms' };
/** Loss, duplication and reordering: what every protocol that retries or deduplicates should survive. */
const rough = { latency: lan, loss: 0.05, duplicate: 0.05, reorder: 0.1 };
/**
 * The same, but a client's request is never duplicated: Maelstrom's network does not duplicate,
 * and its clients' requests carry no idempotency key, so a store that applied a late copy of
 * a write or an add twice would be doing what it was asked. The nodes' own messages still are:
 * the stores that forward a client's request to a leader, a primary or an owner stamp each
 * forward and take a duplicated one once (core/protocols/forwarded/), so they run on this too.
 */
const roughForClients = { ...rough, links: [{ from: 'c1', duplicate: 0 }, { from: 'c2', duplicate: 0 }] };
/** Reordering and duplication without loss: for the clock programs, which relay once and never resend. */
const disorderly = { latency: lan, duplicate: 0.05, reorder: 0.2 };
/** n1 cut off from the others and healed again. */
const isolateN1 = [
  { at: '400ms', partition: [['n1'], ['n2', 'n3']] },
  { at: '900ms', heal: true },
];
/**
 * The final reads that judge the CRDTs and broadcasts go over the same lossy links as the rest:
 * one that times out is sent again (up to five attempts), so a lost read or answer does not
 * leave the check with nothing to judge.
 */
const finalReads = { final: { quiet: '500ms' } };

export interface SeedExperiment {
  /** Checks that must run and hold on every seed, beyond the record's own (record-consistent). */
  checks: string[];
  file: Record<string, unknown>;
}

export const SEED_EXPERIMENTS: Record<string, SeedExperiment> = {
  // Failure detectors: their checks are the record's own (exact counts, the clock condition).
  heartbeat: { checks: ['clock-condition'], file: { duration: '1s', nodes: { count: 3, program: 'heartbeat' }, network: rough, faults: [{ at: '300ms', pause: 'n3' }, { at: '700ms', resume: 'n3' }] } },
  'phi-accrual': { checks: ['clock-condition'], file: { duration: '1s', nodes: { count: 3, program: 'phi-accrual' }, network: rough, faults: [{ at: '300ms', pause: 'n3' }, { at: '700ms', resume: 'n3' }] } },
  swim: { checks: ['clock-condition'], file: { duration: '1s', nodes: { count: 4, program: 'swim' }, network: rough, faults: [{ at: '300ms', kill: 'n4' }] } },
  // Logical clocks and causal delivery.
  lamport: { checks: ['broadcast', 'clock-condition'], file: { duration: '1s', nodes: { count: 3, program: 'lamport' }, network: disorderly, workload: { kind: 'broadcast', rate: 40, clients: 2, timeout: '500ms', ...finalReads } } },
  vector: { checks: ['broadcast', 'clock-condition'], file: { duration: '1s', nodes: { count: 3, program: 'vector' }, network: disorderly, workload: { kind: 'broadcast', rate: 40, clients: 2, timeout: '500ms', ...finalReads } } },
  'causal-broadcast': { checks: ['broadcast', 'causal-delivery', 'clock-condition'], file: { duration: '1s', nodes: { count: 3, program: 'causal-broadcast' }, network: rough, faults: isolateN1, workload: { kind: 'broadcast', rate: 40, clients: 2, timeout: '500ms', ...finalReads } } },
  // Elections: one leader per term, whatever the network does.
  bully: { checks: ['leader-per-term'], file: { duration: '1500ms', nodes: { count: 3, program: 'bully' }, network: { latency: lan }, faults: [{ at: '500ms', kill: 'leader' }] } },
  'raft-election': { checks: ['leader-per-term'], file: { duration: '1500ms', nodes: { count: 3, program: 'raft-election' }, network: rough, faults: [{ at: '600ms', partition: 'leader' }, { at: '1100ms', heal: true }] } },
  // Replicated stores: linearizable, and the logs agree.
  raft: { checks: ['linearizability', 'leader-per-term', 'logs-agree', 'committed-not-lost'], file: { duration: '1500ms', nodes: { count: 3, program: 'raft' }, network: roughForClients, faults: [{ at: '600ms', partition: 'leader' }, { at: '1100ms', heal: true }], workload: { kind: 'lin-kv', rate: 40, clients: 2, keys: 3, timeout: '500ms' } } },
  'primary-backup': { checks: ['linearizability', 'logs-agree', 'committed-not-lost'], file: { duration: '1s', nodes: { count: 3, program: 'primary-backup', params: { mode: 'sync', primary: 'n1' } }, network: roughForClients, workload: { kind: 'kv', rate: 40, clients: 2, keys: 3, timeout: '500ms' } } },
  'quorum-kv': { checks: ['linearizability'], file: { duration: '1s', nodes: { count: 3, program: 'quorum-kv', params: { replicas: 3, r: 2, w: 2, versioning: 'vector', readRepair: true, sloppy: false } }, network: roughForClients, faults: isolateN1, workload: { kind: 'lin-kv', rate: 40, clients: 2, keys: 3, timeout: '500ms', mix: { read: 1, write: 1, cas: 0 } } } },
  'sharded-kv': { checks: ['linearizability'], file: { duration: '1s', nodes: { count: 3, program: 'sharded-kv', params: { vnodes: 8, placement: 'ring' } }, network: roughForClients, workload: { kind: 'kv', rate: 40, clients: 2, keys: 20, timeout: '500ms' } } },
  // Maelstrom's workloads.
  'unique-ids': { checks: ['unique-ids'], file: { duration: '1s', nodes: { count: 3, program: 'unique-ids' }, network: rough, faults: isolateN1, workload: { kind: 'unique-ids', rate: 50, clients: 2, timeout: '500ms' } } },
  broadcast: { checks: ['broadcast'], file: { duration: '1s', nodes: { count: 3, program: 'broadcast' }, network: rough, faults: isolateN1, workload: { kind: 'broadcast', rate: 40, clients: 2, timeout: '500ms', ...finalReads } } },
  'g-set': { checks: ['g-set'], file: { duration: '1s', nodes: { count: 3, program: 'g-set' }, network: rough, faults: isolateN1, workload: { kind: 'g-set', rate: 40, clients: 2, timeout: '500ms', ...finalReads } } },
  'g-counter': { checks: ['g-counter'], file: { duration: '1s', nodes: { count: 3, program: 'g-counter' }, network: roughForClients, faults: isolateN1, workload: { kind: 'g-counter', rate: 40, clients: 2, timeout: '500ms', ...finalReads } } },
  'pn-counter': { checks: ['pn-counter'], file: { duration: '1s', nodes: { count: 3, program: 'pn-counter' }, network: roughForClients, faults: isolateN1, workload: { kind: 'pn-counter', rate: 40, clients: 2, timeout: '500ms', ...finalReads } } },
  kafka: { checks: ['kafka'], file: { duration: '1s', nodes: { count: 3, program: 'kafka' }, network: roughForClients, faults: isolateN1, workload: { kind: 'kafka', rate: 40, clients: 2, keys: 2, timeout: '500ms' } } },
  'txn-rw-register': { checks: ['transactions'], file: { duration: '1s', nodes: { count: 3, program: 'txn-rw-register' }, network: roughForClients, faults: isolateN1, workload: { kind: 'txn-rw-register', rate: 40, clients: 2, keys: 3, timeout: '500ms' } } },
  'txn-list-append': { checks: ['transactions'], file: { duration: '1s', nodes: { count: 3, program: 'txn-list-append' }, network: roughForClients, faults: isolateN1, workload: { kind: 'txn-list-append', rate: 40, clients: 2, keys: 3, timeout: '500ms', consistencyModels: ['strict-serializable'] } } },
  // A rate limiter: each node's share of the limit holds under loss.
  'rate-limited-service': { checks: ['clock-condition'], file: { duration: '1s', nodes: { count: 2, program: 'rate-limited-service', params: { limiter: 'token-bucket', rate: 20, burst: 5, serviceTime: '5ms' } }, network: roughForClients, workload: { kind: 'requests', rate: 40, clients: 2, timeout: '500ms' } } },
};

/** The protocols of each test file: two files, about equal in cost, run side by side on two cores. */
export const SEED_FILES = {
  detectorsClocksReplication: ['heartbeat', 'phi-accrual', 'swim', 'lamport', 'vector', 'causal-broadcast', 'raft', 'primary-backup'],
  electionsStoresMaelstrom: ['bully', 'raft-election', 'quorum-kv', 'sharded-kv', 'unique-ids', 'broadcast', 'g-set', 'g-counter', 'pn-counter', 'kafka', 'txn-rw-register', 'txn-list-append', 'rate-limited-service'],
};
