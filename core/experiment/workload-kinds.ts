// Maelstrom's workloads by name, and which options apply to which: an option that does not
// fit its workload is rejected before the run starts, so the tables live in one place.
import type { WorkloadKind } from './types.js';

export const WORKLOAD_KINDS = [
  'echo',
  'unique-ids',
  'broadcast',
  'g-set',
  'g-counter',
  'pn-counter',
  'lin-kv',
  'kv',
  'kafka',
  'txn-rw-register',
  'txn-list-append',
  'requests',
  'none',
] as const satisfies readonly WorkloadKind[];

/** Workloads whose clients spread their requests over a number of keys. */
export const KEYED_WORKLOADS: readonly WorkloadKind[] = ['lin-kv', 'kv', 'kafka', 'txn-rw-register', 'txn-list-append'];
/** Workloads with read, write and cas weights. */
export const KV_WORKLOADS: readonly WorkloadKind[] = ['lin-kv', 'kv'];
export const TXN_WORKLOADS: readonly WorkloadKind[] = ['txn-rw-register', 'txn-list-append'];
/** Workloads judged on final reads on every node, after faults heal and a quiet period (as Maelstrom does). */
export const FINAL_READ_WORKLOADS: readonly WorkloadKind[] = ['broadcast', 'g-set', 'g-counter', 'pn-counter'];

export const DEFAULT_FINAL_QUIET_MS = 2000;
/** requests: retry options, and their defaults. */
export const RETRY_WORKLOADS: readonly WorkloadKind[] = ['requests'];
export const DEFAULT_RETRY_ATTEMPTS = 5;
export const DEFAULT_BACKOFF = { baseMs: 50, maxMs: 1000, jitter: 'full' } as const;
/** Maelstrom's --max-txn-length default. */
export const DEFAULT_MAX_TXN_LENGTH = 4;

export function hasFinalReads(kind: WorkloadKind): boolean {
  return FINAL_READ_WORKLOADS.includes(kind);
}

/** "the lin-kv, kv and kafka workloads": for messages that name where an option belongs. */
export function workloadNames(kinds: readonly WorkloadKind[]): string {
  const names = kinds.map((k) => k);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `the ${list} workload${names.length === 1 ? '' : 's'}`;
}
