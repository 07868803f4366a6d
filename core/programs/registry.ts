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

const programs: readonly Program[] = [echo, ping, heartbeat, phiAccrual, swim, lamport, vector, causalBroadcast, bully, raftElection, raft, primaryBackup, flood, pingpong];

export function findProgram(name: string): Program | undefined {
  return programs.find((p) => p.name === name);
}

export function programNames(): string[] {
  return programs.map((p) => p.name);
}

export function programInfos(): ProgramInfo[] {
  return programs.map(({ name, description, params }) => ({ name, description, params }));
}
