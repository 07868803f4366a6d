import type { WorkloadSpec } from '../experiment/types.js';
import type { Rng } from '../engine/prng.js';
import type { ClientPort, Workload } from './workload.js';
import { EchoWorkload } from './echo.js';
import { BroadcastWorkload } from './broadcast.js';
import { KvWorkload } from './kv.js';

export function createWorkload(spec: WorkloadSpec, port: ClientPort, rng: Rng): Workload | null {
  switch (spec.kind) {
    case 'none':
      return null;
    case 'echo':
      return new EchoWorkload(spec, port, rng);
    case 'broadcast':
      return new BroadcastWorkload(spec, port, rng);
    case 'kv':
      return new KvWorkload(spec, port, rng);
  }
}
