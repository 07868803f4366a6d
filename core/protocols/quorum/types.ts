// The state of a quorum-kv node: its own replicas of keys, the hinted copies it holds for
// unreachable nodes, and the client operations it coordinates.
import type { Body } from '../../sdk/index.js';
import type { Sibling, Versioning } from './versions.js';

export interface QuorumConfig {
  replicas: number;
  r: number;
  w: number;
  versioning: Versioning;
  readRepair: boolean;
  sloppy: boolean;
  timeoutMs: number;
}

/** A key's copy: the key as the client gave it, and its siblings (one, unless concurrent writes). */
export interface KeyCopy {
  key: unknown;
  siblings: Sibling[];
}

export type Phase = 'query' | 'store';

/** A client operation this node coordinates. */
export interface Operation {
  id: number;
  client: string;
  request: Body;
  op: 'read' | 'write';
  key: unknown;
  phase: Phase;
  preferred: string[];
  fallbacks: string[];
  /** Replicas asked in this operation, and those that answered (either phase). */
  contacted: Set<string>;
  answered: Set<string>;
  /** This phase: who was asked, and what each that answered gave (query) or that it stored (store). */
  asked: Set<string>;
  replies: Map<string, Sibling[]>;
  /** Fallback node → the home replica it stands in for (sloppy store phase). */
  hintedFor: Map<string, string>;
  needed: number;
  /** Store phase: what is being stored; reads: the answer once stored. */
  storing: Sibling[];
  readAnswer?: Body;
  /** Read only: staleness of the answers it gathered. */
  behind: number;
  replicasBehind: number;
  siblings: number;
}

export interface QuorumState {
  self: string;
  /** Every node, in ring order. */
  nodes: string[];
  config: QuorumConfig;
  /** JSON key → this node's replica of it. */
  store: Map<string, KeyCopy>;
  /** Home node → JSON key → the copy held for it until it answers again. */
  hints: Map<string, Map<string, KeyCopy>>;
  /** The last counter this node stamped a write with. */
  lastIssued: number;
  ops: Map<number, Operation>;
  nextOpId: number;
  handoffArmed: boolean;
  counts: { staleReads: number; conflictingReads: number; handoffs: number };
}
