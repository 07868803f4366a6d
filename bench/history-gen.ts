// Generated client histories for the checker benchmarks: closed-loop clients whose
// operations overlap, each taking effect at one instant between its invocation and its
// completion, so that applying them in the order of those instants is a real execution.
import type { Rng } from '../core/engine/prng.js';

export interface Scheduled {
  client: string;
  invokeUs: number;
  /** When the operation took effect. */
  atUs: number;
  completeUs: number;
}

/** `total` operations over `clients` closed-loop clients, in the order they took effect. */
export function overlappingSchedule(rng: Rng, clients: number, total: number): Scheduled[] {
  const clock = new Array<number>(clients).fill(0);
  const ops: Scheduled[] = [];
  for (let i = 0; i < total; i++) {
    const c = i % clients;
    const invokeUs = clock[c] + rng.int(50);
    const atUs = invokeUs + 1 + rng.int(500);
    const completeUs = atUs + 1 + rng.int(500);
    clock[c] = completeUs;
    ops.push({ client: `c${c}`, invokeUs, atUs, completeUs });
  }
  return ops.sort((a, b) => a.atUs - b.atUs);
}

export function byInvocation<T extends { invokeUs: number; id: number }>(ops: T[]): T[] {
  return ops.sort((a, b) => a.invokeUs - b.invokeUs || a.id - b.id);
}
