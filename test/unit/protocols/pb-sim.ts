// A small deterministic network for the bully and primary-backup tests: every node runs
// the program's state machine on one fake clock, messages arrive after a fixed delay (as
// JSON, like on the wire), timers fire in time order, and every output is recorded.
// Ids that are not nodes (c1, …) are clients: what reaches them lands in `inbox`.
import { withDefaults } from '../../../core/sdk/index.js';
import type { Body, Output, Params, Program } from '../../../core/sdk/index.js';

export interface Recorded { time: number; node: string; output: Output }
export interface Delivered { time: number; from: string; to: string; body: Body }

type Due =
  | { kind: 'deliver'; from: string; to: string; body: Body }
  | { kind: 'timer'; node: string; name: string; gen: number }
  | { kind: 'action'; run: () => void };
type Scheduled = Due & { time: number; seq: number };

interface NodeSlot { state: unknown; up: boolean; timers: Map<string, number> }

export interface PbSimOptions {
  /** Delivery delay in ms (default 1). */
  delay?: number;
  /** A delay for particular messages, overriding `delay` where it returns a number. */
  delayFor?: (from: string, to: string, body: Body) => number | undefined;
  /** Messages for which this returns true are lost. */
  drop?: (from: string, to: string, body: Body) => boolean;
  seed?: number;
}

export class PbSim {
  now = 0;
  readonly records: Recorded[] = [];
  readonly inbox: Delivered[] = [];
  readonly sent: Delivered[] = [];
  drop: (from: string, to: string, body: Body) => boolean;
  delayFor: (from: string, to: string, body: Body) => number | undefined;
  private readonly queue: Scheduled[] = [];
  private readonly slots = new Map<string, NodeSlot>();
  private readonly params: Params;
  private readonly delay: number;
  private readonly seed: number;
  private seq = 0;
  private gen = 0;
  private nextClientMsgId = 1;

  constructor(private readonly program: Program, readonly nodeIds: string[], params: Params = {}, options: PbSimOptions = {}) {
    this.params = withDefaults(program, params);
    this.delay = options.delay ?? 1;
    this.drop = options.drop ?? (() => false);
    this.delayFor = options.delayFor ?? (() => undefined);
    this.seed = options.seed ?? 1;
    for (const id of nodeIds) this.start(id);
  }

  /** A fresh instance of the node, as a process restart gives. */
  start(node: string): void {
    const restarted = this.slots.has(node);
    const slot: NodeSlot = { state: undefined, up: true, timers: new Map() };
    this.slots.set(node, slot);
    const [state, outputs] = this.program.protocol.init({ kind: 'start', self: node, peers: this.nodeIds, params: this.params, now: this.now, seed: this.seed, restarted });
    slot.state = state;
    this.apply(node, outputs);
  }

  crash(node: string): void {
    const slot = this.slots.get(node)!;
    slot.up = false;
    slot.timers.clear();
  }

  isUp(node: string): boolean {
    return this.slots.get(node)!.up;
  }

  at(time: number, run: () => void): void {
    this.schedule({ kind: 'action', run }, time);
  }

  /** A client request: returns the msg_id its answer will carry in in_reply_to. */
  request(client: string, node: string, body: Omit<Body, 'msg_id'>): number {
    const msgId = this.nextClientMsgId++;
    this.schedule({ kind: 'deliver', from: client, to: node, body: { ...body, msg_id: msgId } as Body }, this.now + this.delay);
    return msgId;
  }

  answerTo(client: string, msgId: number): Delivered | undefined {
    return this.inbox.find((d) => d.to === client && d.body.in_reply_to === msgId);
  }

  runUntil(time: number): void {
    while (this.queue.length && this.queue[0].time <= time) {
      const next = this.queue.shift()!;
      this.now = next.time;
      this.run(next);
    }
    this.now = time;
  }

  runFor(ms: number): void {
    this.runUntil(this.now + ms);
  }

  stateOf<S>(node: string): S {
    return this.slots.get(node)!.state as S;
  }

  events(type?: string, node?: string): Array<{ time: number; node: string; type: string; data: any }> {
    const found: Array<{ time: number; node: string; type: string; data: any }> = [];
    for (const r of this.records) {
      if (r.output.kind !== 'event' || (type && r.output.type !== type) || (node && r.node !== node)) continue;
      found.push({ time: r.time, node: r.node, type: r.output.type, data: r.output.data });
    }
    return found;
  }

  metrics(name: string, node?: string): Array<{ time: number; node: string; value: number }> {
    const found: Array<{ time: number; node: string; value: number }> = [];
    for (const r of this.records) {
      if (r.output.kind === 'metric' && r.output.name === name && (!node || r.node === node)) found.push({ time: r.time, node: r.node, value: r.output.value });
    }
    return found;
  }

  private run(due: Scheduled): void {
    if (due.kind === 'action') return due.run();
    if (due.kind === 'deliver') {
      if (!this.slots.has(due.to)) {
        this.inbox.push({ time: this.now, from: due.from, to: due.to, body: due.body });
        return;
      }
      return this.step(due.to, { kind: 'message', from: due.from, body: due.body, now: this.now });
    }
    const slot = this.slots.get(due.node)!;
    if (slot.timers.get(due.name) !== due.gen) return; // replaced, cancelled or from before a crash
    slot.timers.delete(due.name);
    this.step(due.node, { kind: 'timer', name: due.name, now: this.now });
  }

  private step(node: string, input: { kind: 'message'; from: string; body: Body; now: number } | { kind: 'timer'; name: string; now: number }): void {
    const slot = this.slots.get(node)!;
    if (!slot.up) return;
    const [state, outputs] = this.program.protocol.step(slot.state, input);
    slot.state = state;
    this.apply(node, outputs);
  }

  private apply(node: string, outputs: Output[]): void {
    const slot = this.slots.get(node)!;
    for (const output of outputs) {
      this.records.push({ time: this.now, node, output });
      if (output.kind === 'send') {
        const body = JSON.parse(JSON.stringify(output.body)) as Body;
        this.sent.push({ time: this.now, from: node, to: output.to, body });
        const delay = this.delayFor(node, output.to, body) ?? this.delay;
        if (!this.drop(node, output.to, body)) this.schedule({ kind: 'deliver', from: node, to: output.to, body }, this.now + delay);
      } else if (output.kind === 'setTimer') {
        const gen = ++this.gen;
        slot.timers.set(output.name, gen);
        this.schedule({ kind: 'timer', node, name: output.name, gen }, this.now + output.afterMs);
      } else if (output.kind === 'cancelTimer') {
        slot.timers.delete(output.name);
      }
    }
  }

  private schedule(due: Due, time: number): void {
    const item = { ...due, time, seq: this.seq++ } as Scheduled;
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const q = this.queue[mid];
      if (q.time < time || (q.time === time && q.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, item);
  }
}
