// The shape every client workload shares: clients send requests to random nodes at a total
// rate, closed loop (one outstanding request per client) or open loop (at the rate,
// regardless), time them out, and record each operation with its outcome.
import type { WorkloadSpec } from '../experiment/types.js';
import type { Rng } from '../engine/prng.js';
import type { Body } from '../sdk/protocol.js';
import type { ClientPort, OperationOutcome, Workload, WorkloadStats } from './workload.js';
import { newStats } from './workload.js';
import { realTimers, type Cancelable, type TimerPort } from './timer-port.js';
import { readEachWithRetries } from './final-reads.js';

export interface Request {
  op: string;
  body: Body;
  /** What the operation meant, for the record (key, value, message…). */
  detail: Record<string, unknown>;
}

export interface Pending extends Request {
  client: string;
  node: string;
  msgId: number;
  invokedUs: number;
  timer: Cancelable;
  requestCorrupted: boolean;
}

export interface Verdict {
  outcome: OperationOutcome;
  detail?: Record<string, unknown>;
  /** The reply contradicts the request: a fault of the node, unless the network corrupted it. */
  wrong?: boolean;
}

/**
 * Maelstrom's definite error codes: the operation surely did not happen. Every other code
 * (0 timeout, 13 crash, and users' own codes) is indefinite: it may or may not have.
 */
const DEFINITE_CODES = new Set([1, 10, 11, 12, 14, 20, 21, 22, 30]);

/** A reply that contradicts its request, with the reason; checkers count it as unknown. */
export function wrongReply(reason: string): Verdict {
  return { outcome: 'fail', wrong: true, detail: { reason } };
}

/** Final reads, sent to every live node at the end of the run, are marked so in their detail. */
export const FINAL = { final: true } as const;

export abstract class RequestWorkload implements Workload {
  readonly stats: WorkloadStats = newStats();
  protected readonly pending = new Map<number, Pending>();
  private readonly tickers: Cancelable[] = [];
  private nextMsgId = 1;
  /** Which client sent each request, to tell a late reply from one with a wrong in_reply_to. */
  private readonly senderOf = new Map<number, string>();
  /** Final reads waiting for their outcome: told whether they timed out (and may be sent again). */
  private readonly completionWaits = new Map<number, (timedOut: boolean) => void>();
  /** Set once the run ends: a final read open then is not sent again. */
  private abandoned = false;

  constructor(
    protected readonly spec: WorkloadSpec,
    protected readonly port: ClientPort,
    protected readonly rng: Rng,
  ) {
    this.timers = port.timers ?? realTimers;
  }

  protected readonly timers: TimerPort;

  protected abstract nextRequest(client: string): Request;
  /** Judges a non-error reply to a request. */
  protected abstract judge(reply: Body, request: Pending): Verdict;

  get outstanding(): number {
    return this.pending.size;
  }

  start(): void {
    const clients = this.port.clients;
    const perClientIntervalMs = (1000 * clients.length) / this.spec.rate;
    clients.forEach((client, i) => {
      // Spread the clients over one interval so that requests do not come in bursts.
      const first = this.timers.after((perClientIntervalMs * i) / clients.length, () => {
        this.invoke(client);
        this.tickers.push(this.timers.every(perClientIntervalMs, () => this.invoke(client)));
      });
      this.tickers.push(first);
    });
  }

  stopIssuing(): void {
    for (const t of this.tickers) t.cancel();
    this.tickers.length = 0;
  }

  /** Requests still open when the run ends never got an answer: they time out. */
  abandon(): void {
    this.abandoned = true;
    for (const p of [...this.pending.values()]) this.complete(p, { outcome: 'timeout', detail: { reason: 'run ended' } });
  }

  onRequestCorrupted(_client: string, request: Body): void {
    const p = request.msg_id === undefined ? undefined : this.pending.get(request.msg_id);
    if (p) p.requestCorrupted = true;
  }

  onReply(client: string, body: Body, corrupted: boolean, from?: string): void {
    const inReplyTo = body.in_reply_to;
    const p = typeof inReplyTo === 'number' ? this.pending.get(inReplyTo) : undefined;
    if (!p || p.client !== client) {
      // A late answer to a request that timed out, or a duplicate, is no fault.
      if (typeof inReplyTo === 'number' && this.senderOf.get(inReplyTo) === client) return;
      this.wrongInReplyTo(client, body, corrupted, from);
      return;
    }
    if (body.type === 'error') {
      const code = Number(body.code);
      this.complete(p, { outcome: 'fail', detail: { code, text: body.text, ...(!DEFINITE_CODES.has(code) && { indefinite: true }) } });
      return;
    }
    this.completeJudged(p, this.judge(body, p), body, corrupted);
  }

  /**
   * An answer whose in_reply_to names no request of this client: it is taken as the answer to
   * the client's oldest open request to that node, which then fails with the reason.
   */
  private wrongInReplyTo(client: string, body: Body, corrupted: boolean, from?: string): void {
    const p = [...this.pending.values()].find((q) => q.client === client && q.node === from);
    if (!p) return;
    const reason = body.in_reply_to === undefined ? 'the reply has no in_reply_to' : `in_reply_to ${JSON.stringify(body.in_reply_to)} names no request of ${client} (expected ${p.msgId})`;
    this.completeJudged(p, wrongReply(reason), body, corrupted);
  }

  private completeJudged(p: Pending, verdict: Verdict, body: Body, corrupted: boolean): void {
    if (verdict.wrong) {
      if (corrupted || p.requestCorrupted) {
        // The network, not the node, altered it: a failed operation, not a wrong node.
        this.stats.corruptedReplies++;
        this.complete(p, { outcome: 'fail', detail: { ...verdict.detail, got: body, corruptedInTransit: true } });
        return;
      }
      this.stats.wrongReplies++;
      this.complete(p, { outcome: 'fail', detail: { ...verdict.detail, got: body, wrong: true } });
      return;
    }
    this.complete(p, verdict);
  }

  private invoke(client: string): void {
    if (this.port.nodes.length === 0) return;
    if (this.spec.loop === 'closed' && this.isBusy(client)) return;
    this.send(client, this.rng.pick(this.port.nodes), this.nextRequest(client));
  }

  /** Closed loop: a client with an open request waits for it (a workload that retries also waits out its backoff). */
  protected isBusy(client: string): boolean {
    return [...this.pending.values()].some((p) => p.client === client);
  }

  /** Sends one request from `client` to `node`, timed and recorded like every other. */
  protected send(client: string, node: string, request: Request): void {
    const msgId = this.nextMsgId++;
    const timer = this.timers.after(this.spec.timeoutMs, () => {
      const p = this.pending.get(msgId);
      if (p) this.complete(p, { outcome: 'timeout' });
    });
    this.pending.set(msgId, { ...request, client, node, msgId, invokedUs: this.port.nowUs(), timer, requestCorrupted: false });
    this.senderOf.set(msgId, client);
    this.port.send(client, node, { ...request.body, msg_id: msgId });
  }

  /**
   * Sends `request` to every node given, round robin over the clients, marked final; one that
   * times out is sent again (final-reads.ts). Resolves once each is answered or out of attempts.
   */
  protected sendToEach(nodes: readonly string[], request: () => Request): Promise<void> {
    const clients = this.port.clients;
    if (clients.length === 0) return Promise.resolve();
    return readEachWithRetries(nodes, (node, i, attempt, settled) => {
      this.completionWaits.set(this.nextMsgId, settled);
      const r = request();
      this.send(clients[i % clients.length], node, { ...r, detail: { ...r.detail, ...FINAL, ...(attempt > 1 && { attempt }) } });
    });
  }

  protected complete(p: Pending, verdict: Verdict): void {
    p.timer.cancel();
    this.pending.delete(p.msgId);
    const settled = this.completionWaits.get(p.msgId);
    this.completionWaits.delete(p.msgId);
    const completedUs = this.port.nowUs();
    this.stats[verdict.outcome]++;
    if (verdict.outcome === 'ok') this.stats.latenciesMs.push((completedUs - p.invokedUs) / 1000);
    this.port.recordOperation(p.client, p.node, p.op, p.invokedUs, verdict.outcome === 'timeout' ? null : completedUs, verdict.outcome, {
      msg_id: p.msgId,
      ...p.detail,
      ...verdict.detail,
    });
    // After the record, so that a final read sent again comes after the attempt that timed out.
    settled?.(verdict.outcome === 'timeout' && !this.abandoned);
  }
}
