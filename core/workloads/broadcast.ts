// Maelstrom's broadcast workload: first each node is told its neighbours (the `topology`
// message, as Maelstrom sends it before anything else), then clients hand unique messages to
// random nodes to spread, and now and then read what a node has delivered.
import type { Body } from '../sdk/protocol.js';
import { RequestWorkload, type Pending, type Request, type Verdict } from './request-workload.js';
import { makeTopology, type Topology } from './topology.js';
import { acknowledged, isList, readReply } from './read-reply.js';
import type { Cancelable } from './timer-port.js';

const READ_SHARE = 0.1;
const READ: Request = { op: 'read', body: { type: 'read' }, detail: {} };

export class BroadcastWorkload extends RequestWorkload {
  private nextMessage = 1;
  private topologyAnswers = 0;
  private readonly topologyOk = new Set<string>();
  private started = false;
  private startTimer: Cancelable | null = null;

  /** The topology the nodes are told, by the experiment's shape or its explicit map. */
  topology(): Topology {
    const t = this.spec.topology ?? 'grid';
    return typeof t === 'object' ? Object.fromEntries(this.port.nodes.map((n) => [n, t[n] ?? []])) : makeTopology(t, this.port.nodes, this.spec.branching ?? 2);
  }

  override start(): void {
    const client = this.port.clients[0];
    const topology = this.topology();
    if (!client || this.port.nodes.length === 0) return super.start();
    for (const node of this.port.nodes) this.send(client, node, { op: 'topology', body: { type: 'topology', topology }, detail: { neighbours: topology[node] } });
    // Broadcasts begin once every node has its topology, or after a timeout's wait at most.
    this.startTimer = this.timers.after(this.spec.timeoutMs, () => this.begin());
  }

  override stopIssuing(): void {
    this.startTimer?.cancel();
    this.startTimer = null;
    if (!this.started) this.reportUnansweredTopology();
    this.started = true;
    super.stopIssuing();
  }

  private begin(): void {
    if (this.started) return;
    this.started = true;
    this.startTimer?.cancel();
    this.startTimer = null;
    this.reportUnansweredTopology();
    super.start();
  }

  /** Once, clearly: a node that never acknowledged its topology may not spread broadcasts. */
  private reportUnansweredTopology(): void {
    const missing = this.port.nodes.filter((n) => !this.topologyOk.has(n));
    if (missing.length === 0 || this.port.clients.length === 0) return;
    const who = missing.length === 1 ? `${missing[0]} did` : `${missing.join(', ')} did`;
    this.port.warn(`${who} not answer topology with topology_ok (waited up to ${this.spec.timeoutMs} ms); broadcasts go on`);
  }

  finalReads(nodes: readonly string[]): Promise<void> {
    return this.sendToEach(nodes, () => READ);
  }

  protected nextRequest(): Request {
    if (this.rng.next() < READ_SHARE) return READ;
    const message = this.nextMessage++;
    return { op: 'broadcast', body: { type: 'broadcast', message }, detail: { message } };
  }

  protected judge(reply: Body, request: Pending): Verdict {
    if (request.op === 'topology') {
      if (++this.topologyAnswers >= this.port.nodes.length) this.timers.soon(() => this.begin());
      const verdict = acknowledged(reply, 'topology_ok');
      if (verdict.outcome === 'ok') this.topologyOk.add(request.node);
      return verdict;
    }
    if (request.op === 'broadcast') return acknowledged(reply, 'broadcast_ok');
    return readReply(reply, 'messages', isList, 'a list');
  }
}
