// Maelstrom's echo workload: clients send echo requests to random nodes at a fixed
// total rate, one outstanding request per client, and check that replies echo back.
import type { WorkloadSpec } from '../experiment/types.js';
import type { Rng } from '../engine/prng.js';
import type { Body } from '../sdk/protocol.js';
import type { ClientPort, OperationOutcome, Workload, WorkloadStats } from './workload.js';
import { newStats } from './workload.js';

interface Pending {
  msgId: number;
  node: string;
  payload: string;
  invokedUs: number;
  timer: NodeJS.Timeout;
  requestCorrupted: boolean;
}

export class EchoWorkload implements Workload {
  readonly stats: WorkloadStats = newStats();
  private readonly pending = new Map<string, Pending>();
  private readonly tickers: NodeJS.Timeout[] = [];
  private nextMsgId = 1;

  constructor(
    private readonly spec: WorkloadSpec,
    private readonly port: ClientPort,
    private readonly rng: Rng,
  ) {}

  start(): void {
    const perClientIntervalMs = (1000 * this.spec.clients) / this.spec.rate;
    this.port.clients.forEach((client, i) => {
      // Spread the clients over one interval so that requests do not come in bursts.
      const offset = (perClientIntervalMs * i) / this.port.clients.length;
      const first = setTimeout(() => {
        this.invoke(client);
        this.tickers.push(setInterval(() => this.invoke(client), perClientIntervalMs));
      }, offset);
      this.tickers.push(first);
    });
  }

  stopIssuing(): void {
    for (const t of this.tickers) clearTimeout(t);
    this.tickers.length = 0;
  }

  get outstanding(): number {
    return this.pending.size;
  }

  /** Requests still open when the run ends never got an answer: they time out. */
  abandon(): void {
    for (const [client, p] of this.pending) this.complete(client, p, 'timeout', { reason: 'run ended' });
  }

  onRequestCorrupted(client: string, request: Body): void {
    const p = this.pending.get(client);
    if (p && request.msg_id === p.msgId) p.requestCorrupted = true;
  }

  onReply(client: string, body: Body, corrupted: boolean): void {
    const p = this.pending.get(client);
    if (!p || body.in_reply_to !== p.msgId) return;
    if (body.type === 'echo_ok' && body.echo === p.payload) this.complete(client, p, 'ok', null);
    else if (body.type === 'error') this.complete(client, p, 'fail', { code: body.code, text: body.text });
    else if (corrupted || p.requestCorrupted) {
      // The network, not the node, altered the echo: a failed operation, not a wrong node.
      this.stats.corruptedReplies++;
      this.complete(client, p, 'fail', { expected: p.payload, got: body, corruptedInTransit: true });
    } else {
      this.stats.wrongReplies++;
      this.complete(client, p, 'fail', { expected: p.payload, got: body });
    }
  }

  private invoke(client: string): void {
    if (this.pending.has(client) || this.port.nodes.length === 0) return;
    const node = this.rng.pick(this.port.nodes);
    const msgId = this.nextMsgId++;
    const payload = `Please echo ${this.rng.int(1_000_000)}`;
    const timer = setTimeout(() => {
      const p = this.pending.get(client);
      if (p?.msgId === msgId) this.complete(client, p, 'timeout', null);
    }, this.spec.timeoutMs);
    this.pending.set(client, { msgId, node, payload, invokedUs: this.port.nowUs(), timer, requestCorrupted: false });
    this.port.send(client, node, { type: 'echo', msg_id: msgId, echo: payload });
  }

  private complete(client: string, p: Pending, outcome: OperationOutcome, detail: unknown): void {
    clearTimeout(p.timer);
    this.pending.delete(client);
    const completedUs = this.port.nowUs();
    this.stats[outcome]++;
    if (outcome === 'ok') this.stats.latenciesMs.push((completedUs - p.invokedUs) / 1000);
    this.port.recordOperation(client, p.node, 'echo', p.invokedUs, outcome === 'timeout' ? null : completedUs, outcome, { msg_id: p.msgId, echo: p.payload, ...(detail ? { detail } : {}) });
  }
}
