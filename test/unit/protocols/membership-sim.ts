// An in-memory network whose membership changes, for programs that take the engine's
// membership messages: nodes join (start with the members as peers) and leave, and every
// member and the leaving node get { type: 'membership', members, joined?, left? } from
// `distlab`, as the engine sends it. Deliveries take `delay` ms; timers run on the same clock.
import { withDefaults } from '../../../core/sdk/index.js';
import type { Body, Output, Params, Program } from '../../../core/sdk/index.js';

export interface Delivered { time: number; from: string; to: string; body: Body }
export interface Recorded { time: number; node: string; output: Output }

type Scheduled = { time: number } & ({ kind: 'deliver'; from: string; to: string; body: Body } | { kind: 'timer'; node: string; name: string; gen: number });
type Item = Scheduled & { seq: number };

export class MembershipSim {
  now = 0;
  members: string[];
  readonly records: Recorded[] = [];
  private readonly states = new Map<string, unknown>();
  private readonly timers = new Map<string, number>();
  private queue: Item[] = [];
  private seq = 0;
  private readonly fullParams: Params;

  constructor(private readonly program: Program, members: string[], params: Params = {}, private readonly delay = 1) {
    this.fullParams = withDefaults(program, params);
    this.members = [...members];
    for (const id of members) this.start(id);
  }

  /** A new node starts with the current members, then everyone hears of the change (after `announceAfterMs`). */
  join(id: string, announceAfterMs = this.delay): void {
    this.members = [...this.members, id];
    this.start(id);
    this.announce({ type: 'membership', members: [...this.members], joined: id }, this.members, announceAfterMs);
  }

  /** The node leaves the members; it hears of it too, and keeps running (its drain). */
  leave(id: string): void {
    this.members = this.members.filter((m) => m !== id);
    this.announce({ type: 'membership', members: [...this.members], left: id }, [...this.members, id]);
  }

  /** The node's process ends: messages to it are dropped, its timers never fire. */
  stop(id: string): void {
    this.states.delete(id);
  }

  /** A message to `to` from anyone (a client, say), after the usual delay. */
  inject(to: string, from: string, body: Body): void {
    this.enqueue({ kind: 'deliver', from, to, body, time: this.now + this.delay });
  }

  runUntil(ms: number): void {
    while (this.queue.length > 0 && this.queue[0].time <= ms) {
      const item = this.queue.shift()!;
      this.now = item.time;
      if (item.kind === 'deliver') {
        if (this.states.has(item.to)) this.step(item.to, { kind: 'message', from: item.from, body: item.body, now: this.now });
      } else if (this.states.has(item.node) && this.timers.get(`${item.node}/${item.name}`) === item.gen) {
        this.timers.delete(`${item.node}/${item.name}`);
        this.step(item.node, { kind: 'timer', name: item.name, now: this.now });
      }
    }
    this.now = Math.max(this.now, ms);
  }

  stateOf<S>(id: string): S {
    return this.states.get(id) as S;
  }

  sends(): Delivered[] {
    return this.records.flatMap((r) => (r.output.kind === 'send' ? [{ time: r.time, from: r.node, to: r.output.to, body: r.output.body }] : []));
  }

  events(type: string): Array<{ time: number; node: string; data: any }> {
    return this.records.flatMap((r) => (r.output.kind === 'event' && r.output.type === type ? [{ time: r.time, node: r.node, data: r.output.data }] : []));
  }

  private announce(body: Body, to: string[], afterMs = this.delay): void {
    for (const id of to) this.enqueue({ kind: 'deliver', from: 'distlab', to: id, body, time: this.now + afterMs });
  }

  private start(id: string): void {
    const peers = this.members.filter((m) => m !== id);
    const [state, outputs] = this.program.protocol.init({ kind: 'start', self: id, peers, params: this.fullParams, now: this.now, seed: 1 });
    this.states.set(id, state);
    this.apply(id, outputs);
  }

  private step(id: string, input: Parameters<Program['protocol']['step']>[1]): void {
    const [state, outputs] = this.program.protocol.step(this.states.get(id), input);
    this.states.set(id, state);
    this.apply(id, outputs);
  }

  private apply(id: string, outputs: Output[]): void {
    for (const output of outputs) {
      this.records.push({ time: this.now, node: id, output });
      if (output.kind === 'send' && this.states.has(output.to)) this.enqueue({ kind: 'deliver', from: id, to: output.to, body: output.body, time: this.now + this.delay });
      else if (output.kind === 'setTimer') {
        const gen = this.seq;
        this.timers.set(`${id}/${output.name}`, gen);
        this.enqueue({ kind: 'timer', node: id, name: output.name, gen, time: this.now + output.afterMs });
      } else if (output.kind === 'cancelTimer') this.timers.delete(`${id}/${output.name}`);
    }
  }

  private enqueue(item: Scheduled): void {
    const entry = { ...item, seq: this.seq++ } as Item;
    let at = this.queue.length;
    while (at > 0 && this.queue[at - 1].time > entry.time) at--;
    this.queue.splice(at, 0, entry);
  }
}
