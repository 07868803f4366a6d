import type { Body } from '../sdk/protocol.js';

export type OperationOutcome = 'ok' | 'fail' | 'timeout';

/** What a workload may do: send as a client through the switch, and record operations. */
export interface ClientPort {
  clients: string[];
  nodes: string[];
  nowUs(): number;
  send(client: string, node: string, body: Body): void;
  recordOperation(client: string, node: string, op: string, tInvokeUs: number, tCompleteUs: number | null, outcome: OperationOutcome, detail: unknown): void;
}

export interface WorkloadStats {
  ok: number;
  fail: number;
  timeout: number;
  /** Replies that answered the request but with the wrong content. */
  wrongReplies: number;
  latenciesMs: number[];
}

export interface Workload {
  readonly stats: WorkloadStats;
  readonly outstanding: number;
  start(): void;
  stopIssuing(): void;
  abandon(): void;
  onReply(client: string, body: Body): void;
}

export function newStats(): WorkloadStats {
  return { ok: 0, fail: 0, timeout: 0, wrongReplies: 0, latenciesMs: [] };
}

