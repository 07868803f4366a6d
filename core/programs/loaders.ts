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
};

export function loadProgram(name: string): Promise<Program> | undefined {
  return loaders[name]?.();
}

export const loadableProgramNames = (): string[] => Object.keys(loaders);
