import type { WorkloadSpec } from '../experiment/types.js';
import type { Rng } from '../engine/prng.js';
import type { ClientPort, Workload } from './workload.js';
import { EchoWorkload } from './echo.js';

export function createWorkload(spec: WorkloadSpec, port: ClientPort, rng: Rng): Workload | null {
  switch (spec.kind) {
    case 'none':
      return null;
    case 'echo':
      return new EchoWorkload(spec, port, rng);
  }
}
