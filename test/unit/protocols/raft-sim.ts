// A small deterministic network for the Raft tests: sends become deliveries after a
// seeded random delay, timers fire on one fake clock, and every event, metric and client
// answer is recorded. Besides running on its own, it can be driven by hand (fire a timer,
// hold messages and deliver a chosen few) to script exact interleavings.
import { createRng, withDefaults } from '../../../core/sdk/index.js';
import type { Body, Output, Program, Rng } from '../../../core/sdk/index.js';

export interface Message { at: number; seq: number; from: string; to: string; body: Body }
export interface Recorded { at: number; node: string; type: string; data: any }
export interface ClientAnswer { at: number; client: string; from: string; body: Body }

interface Node { state: unknown; up: boolean; paused: boolean; timers: Map<string, { at: number; seq: number }> }

export interface RaftSimOptions {
  seed: number;
  nodes: number;
  params?: Record<string, unknown>;
  /** Uniform delivery delay range in ms. */
  delay?: [number, number];
  /** When true, messages wait in `held` until delivered by hand and timers never fire on their own. */
  manual?: boolean;
}

export class RaftSim {
  now = 0;
  readonly ids: string[];
  readonly events: Recorded[] = [];
  readonly metrics: Recorded[] = [];
  readonly answers: ClientAnswer[] = [];
  /** Messages in flight (or held, in manual mode). */
  held: Message[] = [];
  sent = 0;
  private readonly nodes = new Map<string, Node>();
  private readonly rng: Rng;
  private readonly blocked = new Set<string>();
  private seq = 0;
  private nextClientMsgId = 1;

  constructor(private readonly program: Program, private readonly opts: RaftSimOptions) {
    this.ids = Array.from({ length: opts.nodes }, (_, i) => `n${i + 1}`);
    this.rng = createRng(opts.seed, 'raft-sim');
    for (const id of this.ids) this.boot(id);
  }

  stateOf<S>(id: string): S {
    return this.nodes.get(id)!.state as S;
  }

  private boot(id: string): void {
    const params = withDefaults(this.program, this.opts.params ?? {});
    const node: Node = { state: undefined, up: true, paused: false, timers: new Map() };
    this.nodes.set(id, node);
    const [state, outputs] = this.program.protocol.init({ kind: 'start', self: id, peers: this.ids, params, now: this.now, seed: this.opts.seed });
    node.state = state;
    this.apply(id, outputs);
  }

  private apply(id: string, outputs: Output[]): void {
    const node = this.nodes.get(id)!;
    for (const o of outputs) {
      if (o.kind === 'send') this.enqueue(id, o.to, o.body);
      else if (o.kind === 'setTimer') node.timers.set(o.name, { at: this.now + o.afterMs, seq: this.seq++ });
      else if (o.kind === 'cancelTimer') node.timers.delete(o.name);
      else if (o.kind === 'event') this.events.push({ at: this.now, node: id, type: o.type, data: o.data });
      else if (o.kind === 'metric') this.metrics.push({ at: this.now, node: id, type: o.name, data: o.value });
    }
  }

  private enqueue(from: string, to: string, body: Body): void {
    this.sent++;
    if (!this.ids.includes(to)) {
      this.answers.push({ at: this.now, client: to, from, body: JSON.parse(JSON.stringify(body)) });
      return;
    }
    const [min, max] = this.opts.delay ?? [1, 10];
    const at = this.now + min + this.rng.next() * (max - min);
    // A JSON round trip, as on the wire: no object is shared between nodes.
    this.held.push({ at, seq: this.seq++, from, to, body: JSON.parse(JSON.stringify(body)) });
  }

  private step(id: string, input: { kind: 'message'; from: string; body: Body } | { kind: 'timer'; name: string }): void {
    const node = this.nodes.get(id)!;
    if (!node.up || node.paused) return;
    const [state, outputs] = this.program.protocol.step(node.state, { ...input, now: this.now });
    node.state = state;
    this.apply(id, outputs);
  }

  // ---- driving by hand ----

  fire(id: string, timer: string): void {
    this.nodes.get(id)!.timers.delete(timer);
    this.step(id, { kind: 'timer', name: timer });
  }

  /** Delivers (now, in send order) the held messages that match, and returns them. */
  deliver(match: (m: Message) => boolean): Message[] {
    const chosen = this.held.filter(match);
    this.held = this.held.filter((m) => !chosen.includes(m));
    for (const m of chosen) this.handOver(m);
    return chosen;
  }

  drop(match: (m: Message) => boolean): void {
    this.held = this.held.filter((m) => !match(m));
  }

  private handOver(m: Message): void {
    if (this.blocked.has(`${m.from}>${m.to}`)) return;
    this.step(m.to, { kind: 'message', from: m.from, body: m.body });
  }

  // ---- running on its own ----

  /** Leaves manual mode: from now on messages and timers run by the clock. */
  automatic(): void {
    this.opts.manual = false;
    for (const m of this.held) m.at = Math.max(m.at, this.now);
  }

  runFor(ms: number): void {
    this.runUntil(() => false, ms);
  }

  /** Runs until `done` holds (checked after each step) or `ms` pass; true if it held. */
  runUntil(done: () => boolean, ms: number): boolean {
    const end = this.now + ms;
    for (;;) {
      if (done()) return true;
      const next = this.nextDue();
      if (!next || next.at > end) {
        this.now = end;
        return done();
      }
      this.now = Math.max(this.now, next.at);
      next.run();
    }
  }

  private nextDue(): { at: number; run: () => void } | null {
    let best: { at: number; seq: number; run: () => void } | null = null;
    const better = (at: number, seq: number) => !best || at < best.at || (at === best.at && seq < best.seq);
    if (!this.opts.manual) {
      for (const m of this.held) if (better(m.at, m.seq)) best = { at: m.at, seq: m.seq, run: () => this.deliver((x) => x === m) };
      for (const [id, node] of this.nodes) {
        if (!node.up || node.paused) continue;
        for (const [name, t] of node.timers) if (better(t.at, t.seq)) best = { at: t.at, seq: t.seq, run: () => this.fire(id, name) };
      }
    }
    return best;
  }

  // ---- faults and clients ----

  /** Cuts every link between different groups (both ways). */
  partition(...groups: string[][]): void {
    this.blocked.clear();
    for (const a of groups) for (const b of groups) if (a !== b) for (const x of a) for (const y of b) this.blocked.add(`${x}>${y}`);
  }

  heal(): void {
    this.blocked.clear();
  }

  crash(id: string): void {
    const node = this.nodes.get(id)!;
    node.up = false;
    node.timers.clear();
    this.held = this.held.filter((m) => m.to !== id);
  }

  /** A new instance at the current time: the protocol keeps nothing across a restart. */
  restart(id: string): void {
    this.boot(id);
  }

  /** A paused node (SIGSTOP) loses what arrives meanwhile but keeps its state; its timers wait. */
  pause(id: string): void {
    this.nodes.get(id)!.paused = true;
  }

  resume(id: string): void {
    const node = this.nodes.get(id)!;
    node.paused = false;
    for (const t of node.timers.values()) t.at = Math.max(t.at, this.now);
  }

  isCrashed(id: string): boolean {
    return !this.nodes.get(id)!.up;
  }

  isUp(id: string): boolean {
    const node = this.nodes.get(id)!;
    return node.up && !node.paused;
  }

  /** Sends a client request to a node; returns its msg_id. */
  request(client: string, to: string, body: Omit<Body, 'msg_id'>): number {
    const msgId = this.nextClientMsgId++;
    const [min, max] = this.opts.delay ?? [1, 10];
    this.held.push({ at: this.now + min + this.rng.next() * (max - min), seq: this.seq++, from: client, to, body: { ...body, msg_id: msgId } as Body });
    return msgId;
  }

  answerTo(client: string, msgId: number): Body | undefined {
    return this.answers.find((a) => a.client === client && a.body.in_reply_to === msgId)?.body;
  }

  eventsOf(type: string): Recorded[] {
    return this.events.filter((e) => e.type === type);
  }

  /** Who became leader in each term, from the `role` events. */
  leadersByTerm(): Map<number, string[]> {
    const leaders = new Map<number, string[]>();
    for (const e of this.eventsOf('role')) {
      if (e.data.role !== 'leader') continue;
      leaders.set(e.data.term, [...(leaders.get(e.data.term) ?? []), e.node]);
    }
    return leaders;
  }

  /** Runs until one live node leads and every live node follows it; returns it, or null on timeout. */
  settle(ms: number): string | null {
    const settled = this.runUntil(() => {
      const leader = this.currentLeader();
      return leader !== null && this.ids.filter((id) => this.isUp(id)).every((id) => (this.stateOf(id) as { leader: string | null }).leader === leader);
    }, ms);
    return settled ? this.currentLeader() : null;
  }

  /** index → digest of what `node` applied, from its `apply` events. */
  appliedBy(node: string): Map<number, string> {
    return new Map(this.eventsOf('apply').filter((e) => e.node === node).map((e) => [e.data.index, e.data.digest]));
  }

  /** The current leader as the live nodes see it: one live leader of the highest term among them. */
  currentLeader(): string | null {
    let best: { id: string; term: number } | null = null;
    for (const id of this.ids) {
      if (!this.isUp(id)) continue;
      const s = this.stateOf<{ role: string; currentTerm: number }>(id);
      if (s.role === 'leader' && (!best || s.currentTerm > best.term)) best = { id, term: s.currentTerm };
    }
    return best?.id ?? null;
  }
}
