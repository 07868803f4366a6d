// How a node process loads only the program it runs: importing every protocol would add
// tens of milliseconds to each node's start, times a hundred nodes.
import type { Program } from '../sdk/protocol.js';

const loaders: Record<string, () => Promise<Program>> = {
  echo: async () => (await import('./echo.js')).echo,
  ping: async () => (await import('./ping.js')).ping,
  heartbeat: async () => (await import('../protocols/failure-detection/fixed-timeout.js')).heartbeat,
  'phi-accrual': async () => (await import('../protocols/failure-detection/phi-accrual.js')).phiAccrual,
  swim: async () => (await import('../protocols/failure-detection/swim.js')).swim,
  lamport: async () => (await import('../protocols/clocks/lamport.js')).lamport,
  vector: async () => (await import('../protocols/clocks/vector.js')).vector,
  'causal-broadcast': async () => (await import('../protocols/clocks/causal-broadcast.js')).causalBroadcast,
  bully: async () => (await import('../protocols/election/bully.js')).bully,
  'raft-election': async () => (await import('../protocols/raft/programs.js')).raftElection,
  raft: async () => (await import('../protocols/raft/programs.js')).raft,
  'primary-backup': async () => (await import('../protocols/replication/primary-backup.js')).primaryBackup,
  flood: async () => (await import('./flood.js')).flood,
  pingpong: async () => (await import('./pingpong.js')).pingpong,
  'unique-ids': async () => (await import('../protocols/maelstrom/unique-ids.js')).uniqueIds,
  broadcast: async () => (await import('../protocols/maelstrom/broadcast.js')).broadcast,
  'g-set': async () => (await import('../protocols/maelstrom/g-set.js')).gSet,
  'g-counter': async () => (await import('../protocols/maelstrom/counters.js')).gCounter,
  'pn-counter': async () => (await import('../protocols/maelstrom/counters.js')).pnCounter,
  kafka: async () => (await import('../protocols/maelstrom/kafka.js')).kafka,
  'txn-rw-register': async () => (await import('../protocols/maelstrom/serialized-txn.js')).txnRwRegister,
  'txn-list-append': async () => (await import('../protocols/maelstrom/serialized-txn.js')).txnListAppend,
  'lin-kv-stale': async () => (await import('../protocols/maelstrom/stale-kv.js')).linKvStale,
  'g-counter-lossy': async () => (await import('../protocols/maelstrom/lossy-counter.js')).gCounterLossy,
  'txn-write-cycle': async () => (await import('../protocols/maelstrom/txn-write-cycle.js')).txnWriteCycle,
  'rate-limited-service': async () => (await import('../protocols/throttle/rate-limited-service.js')).rateLimitedService,
  'quorum-kv': async () => (await import('../protocols/quorum/quorum-kv.js')).quorumKv,
  'sharded-kv': async () => (await import('../protocols/sharding/sharded-kv.js')).shardedKv,
};

/** Each program's loading, once: a dynamic import() resolves its specifier again on every call, which cost a short simulated seed about a millisecond. */
const loaded = new Map<string, Promise<Program>>();

export function loadProgram(name: string): Promise<Program> | undefined {
  const loader = loaders[name];
  if (!loader) return undefined;
  let program = loaded.get(name);
  if (!program) {
    program = loader();
    loaded.set(name, program);
  }
  return program;
}

export const loadableProgramNames = (): string[] => Object.keys(loaders);
