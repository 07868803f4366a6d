import type { Program, ProgramInfo } from '../sdk/protocol.js';
import { echo } from './echo.js';
import { ping } from './ping.js';
import { flood } from './flood.js';
import { pingpong } from './pingpong.js';
import { heartbeat } from '../protocols/failure-detection/fixed-timeout.js';
import { phiAccrual } from '../protocols/failure-detection/phi-accrual.js';
import { swim } from '../protocols/failure-detection/swim.js';
import { lamport } from '../protocols/clocks/lamport.js';
import { raft, raftElection } from '../protocols/raft/programs.js';
import { bully } from '../protocols/election/bully.js';
import { primaryBackup } from '../protocols/replication/primary-backup.js';
import { vector } from '../protocols/clocks/vector.js';
import { causalBroadcast } from '../protocols/clocks/causal-broadcast.js';
import { uniqueIds } from '../protocols/maelstrom/unique-ids.js';
import { broadcast } from '../protocols/maelstrom/broadcast.js';
import { gSet } from '../protocols/maelstrom/g-set.js';
import { gCounter, pnCounter } from '../protocols/maelstrom/counters.js';
import { kafka } from '../protocols/maelstrom/kafka.js';
import { txnListAppend, txnRwRegister } from '../protocols/maelstrom/serialized-txn.js';
import { linKvStale } from '../protocols/maelstrom/stale-kv.js';
import { gCounterLossy } from '../protocols/maelstrom/lossy-counter.js';
import { txnWriteCycle } from '../protocols/maelstrom/txn-write-cycle.js';
import { rateLimitedService } from '../protocols/throttle/rate-limited-service.js';
import { quorumKv } from '../protocols/quorum/quorum-kv.js';
import { shardedKv } from '../protocols/sharding/sharded-kv.js';

const programs: readonly Program[] = [
  echo, ping, heartbeat, phiAccrual, swim, lamport, vector, causalBroadcast, bully, raftElection, raft, primaryBackup, flood, pingpong,
  // Maelstrom workloads (lin-kv is served by raft), then the nodes broken on purpose.
  uniqueIds, broadcast, gSet, gCounter, pnCounter, kafka, txnRwRegister, txnListAppend,
  linKvStale, gCounterLossy, txnWriteCycle,
  rateLimitedService,
  quorumKv,
  shardedKv,
];

export function findProgram(name: string): Program | undefined {
  return programs.find((p) => p.name === name);
}

export function programNames(): string[] {
  return programs.map((p) => p.name);
}

export function programInfos(): ProgramInfo[] {
  return programs.map(({ name, description, params }) => ({ name, description, params }));
}
