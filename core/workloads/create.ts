import type { WorkloadSpec } from '../experiment/types.js';
import type { Rng } from '../engine/prng.js';
import type { ClientPort, Workload } from './workload.js';
import { EchoWorkload } from './echo.js';
import { BroadcastWorkload } from './broadcast.js';
import { KvWorkload } from './kv.js';
import { UniqueIdsWorkload } from './unique-ids.js';
import { GSetWorkload } from './g-set.js';
import { CounterWorkload } from './counter.js';
import { KafkaWorkload } from './kafka.js';
import { TxnWorkload } from './txn.js';
import { RequestsWorkload } from './requests.js';

export function createWorkload(spec: WorkloadSpec, port: ClientPort, rng: Rng): Workload | null {
  switch (spec.kind) {
    case 'none':
      return null;
    case 'echo':
      return new EchoWorkload(spec, port, rng);
    case 'unique-ids':
      return new UniqueIdsWorkload(spec, port, rng);
    case 'broadcast':
      return new BroadcastWorkload(spec, port, rng);
    case 'g-set':
      return new GSetWorkload(spec, port, rng);
    case 'g-counter':
    case 'pn-counter':
      return new CounterWorkload(spec, port, rng);
    case 'lin-kv':
    case 'kv':
      return new KvWorkload(spec, port, rng);
    case 'kafka':
      return new KafkaWorkload(spec, port, rng);
    case 'txn-rw-register':
    case 'txn-list-append':
      return new TxnWorkload(spec, port, rng);
    case 'requests':
      return new RequestsWorkload(spec, port, rng);
  }
}
