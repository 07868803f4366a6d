import type { Body } from '../sdk/protocol.js';
import type { TimerPort } from './timer-port.js';

export type OperationOutcome = 'ok' | 'fail' | 'timeout';

/** What a workload may do: send as a client through the switch, and record operations. */
export interface ClientPort {
  clients: string[];
  /** The members that are up, as of now: they change as nodes join and leave. */
  nodes: readonly string[];
  nowUs(): number;
  send(client: string, node: string, body: Body): void;
  recordOperation(client: string, node: string, op: string, tInvokeUs: number, tCompleteUs: number | null, outcome: OperationOutcome, detail: unknown): void;
  /** Something the run should report once, clearly, and go on (a node that never answered topology). */
  warn(text: string): void;
  /** The clock the workload's timers run on; absent, Node's real timers. */
  timers?: TimerPort;
}

export interface WorkloadStats {
  ok: number;
  fail: number;
  timeout: number;
  /** Replies with the wrong content that the network cannot explain: a node's fault. */
  wrongReplies: number;
  /** Replies with the wrong content because the request or the reply was corrupted in transit. */
  corruptedReplies: number;
  latenciesMs: number[];
}

export interface Workload {
  readonly stats: WorkloadStats;
  readonly outstanding: number;
  start(): void;
  stopIssuing(): void;
  abandon(): void;
  /** Workloads judged on final reads send one to each of `nodes`; resolves when all are answered or timed out. */
  finalReads?(nodes: readonly string[]): Promise<void>;
  /** `corrupted`: the network altered this reply on its way; `from`: the node that sent it. */
  onReply(client: string, body: Body, corrupted: boolean, from?: string): void;
  onRequestCorrupted(client: string, request: Body): void;
}

export function newStats(): WorkloadStats {
  return { ok: 0, fail: 0, timeout: 0, wrongReplies: 0, corruptedReplies: 0, latenciesMs: [] };
}

