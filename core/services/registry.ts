// The services every run provides, by the names nodes address them with, as Maelstrom does.
import { createRng } from '../engine/prng.js';
import { LinKv } from './lin-kv.js';
import { LinTso } from './lin-tso.js';
import { LwwKv } from './lww-kv.js';
import { SeqKv } from './seq-kv.js';
import type { Service } from './service.js';

export const SERVICE_NAMES = ['lin-kv', 'seq-kv', 'lww-kv', 'lin-tso'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** How often lww-kv's replicas gossip. */
export const LWW_GOSSIP_INTERVAL_MS = 100;

export interface ProvidedService {
  name: ServiceName;
  service: Service;
  /** Work the service does on its own, every `everyMs` once it is in use. */
  periodic?: { everyMs: number; run(): void };
}

export function isServiceName(id: string): id is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(id);
}

/** Fresh services for one run; their randomness comes from the run's seed. */
export function createServices(seed: number): ProvidedService[] {
  const lww = new LwwKv(createRng(seed, 'lww-kv'));
  return [
    { name: 'lin-kv', service: new LinKv() },
    { name: 'seq-kv', service: new SeqKv(createRng(seed, 'seq-kv')) },
    { name: 'lww-kv', service: lww, periodic: { everyMs: LWW_GOSSIP_INTERVAL_MS, run: () => lww.gossip() } },
    { name: 'lin-tso', service: new LinTso() },
  ];
}
