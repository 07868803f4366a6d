// A small discrete-event network for the clock programs' tests: several protocol
// instances, a fake clock, timers, and a seeded network that can lose, duplicate,
// delay (and so reorder) or withhold messages.
import type { Body, Output, Params, Program } from '../../../core/sdk/index.js';
import { createRng, withDefaults } from '../../../core/sdk/index.js';

export interface SimNetwork {
  latencyMs?: number;
  /** Extra uniform delay in [0, jitterMs): enough of it reorders messages. */
  jitterMs?: number;
  loss?: number;
  duplicate?: number;
}

export interface SimMessage {
  from: string;
  to: string;
  body: Body;
}

/** Every output in the order it was produced; `order` is a global step counter. */
export interface SimOutput {
  order: number;
  t: number;
  node: string;
  output: Output;
  /** The message whose handling produced it, if any. */
  cause?: SimMessage;
}

type Pending =
  | { at: number; order: number; kind: 'message'; message: SimMessage }
  | { at: number; order: number; kind: 'timer'; node: string; name: string; token: number };

export class ClockSim {
  now = 0;
  readonly outputs: SimOutput[] = [];
  readonly held: SimMessage[] = [];
  /** Messages that a node handled (after loss), in the order it handled them. */
  readonly handled: Array<SimMessage & { t: number }> = [];
  /** Return true to keep a message back until release(). */
  withhold: (m: SimMessage) => boolean = () => false;

  private readonly states = new Map<string, unknown>();
  private readonly timerTokens = new Map<string, number>();
  private queue: Pending[] = [];
  private nextOrder = 0;
  private readonly rng;

  constructor(
    private readonly program: Program,
    readonly nodes: string[],
    private readonly options: { seed?: number; params?: Params; network?: SimNetwork } = {},
  ) {
    const seed = options.seed ?? 1;
    this.rng = createRng(seed, 'clock-sim network');
    for (const self of nodes) {
      const params = withDefaults(program, options.params ?? {});
      const [state, outs] = program.protocol.init({ kind: 'start', self, peers: [...nodes], params, now: 0, seed });
      this.states.set(self, state);
      this.apply(self, outs);
    }
  }

  /** A client request handled right now; returns the replies it produced. */
  client(node: string, body: Body, client = 'c1'): Body[] {
    const before = this.outputs.length;
    this.step(node, { kind: 'message', from: client, body, now: this.now });
    return this.outputs
      .slice(before)
      .flatMap((o) => (o.output.kind === 'send' && o.output.to === client ? [o.output.body] : []));
  }

  /** Processes everything due within the next `ms`. */
  runFor(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = this.queue[0];
      if (!next || next.at > until) break;
      this.queue.shift();
      this.now = next.at;
      if (next.kind === 'message') {
        this.handled.push({ ...next.message, t: this.now });
        this.step(next.message.to, { kind: 'message', from: next.message.from, body: next.message.body, now: this.now }, next.message);
      } else if (this.timerTokens.get(`${next.node}/${next.name}`) === next.token) {
        this.timerTokens.delete(`${next.node}/${next.name}`);
        this.step(next.node, { kind: 'timer', name: next.name, now: this.now });
      }
    }
    this.now = until;
  }

  /** Sends every withheld message on its way. */
  release(): void {
    for (const m of this.held.splice(0)) this.enqueue(this.now + (this.options.network?.latencyMs ?? 10), m);
  }

  /** Data of the events of one type, optionally at one node, in order. */
  events<T = Record<string, unknown>>(type: string, node?: string): T[] {
    return this.outputs.flatMap((o) =>
      o.output.kind === 'event' && o.output.type === type && (node === undefined || o.node === node) ? [o.output.data as T] : [],
    );
  }

  metrics(name: string, node: string): number[] {
    return this.outputs.flatMap((o) => (o.output.kind === 'metric' && o.output.name === name && o.node === node ? [o.output.value] : []));
  }

  private step(node: string, input: { kind: 'message'; from: string; body: Body; now: number } | { kind: 'timer'; name: string; now: number }, cause?: SimMessage): void {
    const [state, outs] = this.program.protocol.step(this.states.get(node), input);
    this.states.set(node, state);
    this.apply(node, outs, cause);
  }

  private apply(node: string, outs: Output[], cause?: SimMessage): void {
    for (const output of outs) {
      this.outputs.push({ order: this.nextOrder++, t: this.now, node, output, cause });
      if (output.kind === 'send' && this.nodes.includes(output.to)) this.transmit({ from: node, to: output.to, body: output.body });
      else if (output.kind === 'setTimer') this.setTimer(node, output.name, output.afterMs);
      else if (output.kind === 'cancelTimer') this.timerTokens.delete(`${node}/${output.name}`);
    }
  }

  private transmit(m: SimMessage): void {
    if (this.withhold(m)) {
      this.held.push(m);
      return;
    }
    const net = this.options.network ?? {};
    if (this.rng.next() < (net.loss ?? 0)) return;
    const copies = this.rng.next() < (net.duplicate ?? 0) ? 2 : 1;
    for (let i = 0; i < copies; i++) this.enqueue(this.now + (net.latencyMs ?? 10) + this.rng.next() * (net.jitterMs ?? 0), m);
  }

  private setTimer(node: string, name: string, afterMs: number): void {
    const token = this.nextOrder++;
    this.timerTokens.set(`${node}/${name}`, token);
    this.insert({ at: this.now + afterMs, order: token, kind: 'timer', node, name, token });
  }

  private enqueue(at: number, message: SimMessage): void {
    this.insert({ at, order: this.nextOrder++, kind: 'message', message });
  }

  // Ordered by time, then by scheduling order, so that a run is deterministic.
  private insert(p: Pending): void {
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1].at > p.at || (this.queue[i - 1].at === p.at && this.queue[i - 1].order > p.order))) i--;
    this.queue.splice(i, 0, p);
  }
}
