// A deterministic in-memory network for protocol unit tests. Every node runs the
// program's state machine; sends become deliveries after a delay, timers fire on a
// global fake clock, and every output is recorded with its node and time.
// Faults: crash/restart, pause/resume (inputs queue up), lossy or partitioned links,
// and a clock offset per node (node-local now = sim time + offset).
import { createRng, withDefaults } from '../../../core/sdk/index.js';
import type { Body, Output, Params, Program, Rng } from '../../../core/sdk/index.js';

export interface Link { from: string; to: string; body: Body; time: number }
export interface SimOptions {
  seed?: number;
  /** Delivery delay in ms, fixed or drawn per message (default 1). */
  delay?: number | ((link: Link, rng: Rng) => number);
  /** Messages for which this returns true are lost; checked at send time. */
  drop?: (link: Link) => boolean;
  /** Node-local clock offsets in ms. */
  clockOffsets?: Record<string, number>;
}
export interface SimRecord { time: number; node: string; output: Output }
export interface SimEvent { time: number; node: string; type: string; data: any }
export interface SimMetric { time: number; node: string; name: string; value: number }
export interface SimStateChange { time: number; node: string; key: string; value: any }
/** `dropped`: lost by the drop predicate or a partition. */
export interface SimSend { time: number; node: string; to: string; body: Body; dropped: boolean }

export interface Sim {
  /** Global sim time in ms. */
  readonly now: number;
  readonly records: readonly SimRecord[];
  /** Processes everything due up to and including `ms`, then sets now = ms. */
  runUntil(ms: number): void;
  /** Runs `action` at sim time `ms`, in order with deliveries and timers. */
  at(ms: number, action: () => void): void;
  /** The node stops: every later input is lost and its timers are gone (what it sent still arrives). */
  crash(node: string): void;
  /** A fresh instance (init again) at the current time, e.g. after a crash. */
  restart(node: string): void;
  /** Inputs queue up until resume; timers that come due wait too. */
  pause(node: string): void;
  /** Delivers queued messages, then fires overdue timers, at the current time. */
  resume(node: string): void;
  setClockOffset(node: string, offsetMs: number): void;
  setDrop(drop?: (link: Link) => boolean): void;
  /** Drops every message between different groups; nodes in no group reach everyone. */
  partition(...groups: string[][]): void;
  /** Delivers a message to `to` from anyone (a client, say) after the usual delay. */
  inject(to: string, from: string, body: Body): void;
  stateOf<S>(node: string): S;
  events(type?: string): SimEvent[];
  metrics(name?: string): SimMetric[];
  states(key?: string): SimStateChange[];
  sends(type?: string): SimSend[];
}

type Scheduled = { time: number } & (
  | { kind: 'deliver'; from: string; to: string; body: Body }
  | { kind: 'timer'; node: string; name: string; gen: number }
  | { kind: 'action'; run: () => void }
);
/** `seq` keeps the order of equal times: first scheduled, first run. */
type Pending = Scheduled & { seq: number };
type Input = { kind: 'message'; from: string; body: Body } | { kind: 'timer'; name: string; gen: number };

interface SimNode {
  state: unknown;
  crashed: boolean;
  paused: boolean;
  offset: number;
  /** Timer name → generation; a fired timer counts only if its generation is current. */
  timers: Map<string, number>;
  held: Input[];
}

export function createSim(program: Program, nodeIds: string[], params: Params = {}, options: SimOptions = {}): Sim {
  const seed = options.seed ?? 1;
  const rng = createRng(seed, 'sim');
  const fullParams = withDefaults(program, params);
  const queue: Pending[] = [];
  const records: SimRecord[] = [];
  const nodes = new Map<string, SimNode>();
  const lost = new WeakSet<Output>();
  let drop = options.drop;
  let now = 0;
  let seq = 0;
  let timerGen = 0;

  const enqueue = (item: Scheduled): void => {
    const entry: Pending = { ...item, seq: seq++ };
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (queue[mid].time <= entry.time) lo = mid + 1;
      else hi = mid;
    }
    queue.splice(lo, 0, entry);
  };
  const nodeOf = (id: string): SimNode => {
    const node = nodes.get(id);
    if (!node) throw new Error(`unknown node ${id}`);
    return node;
  };
  const delayOf = (link: Link): number =>
    typeof options.delay === 'function' ? options.delay(link, rng) : options.delay ?? 1;

  function apply(id: string, outputs: Output[]): void {
    const node = nodeOf(id);
    for (const output of outputs) {
      records.push({ time: now, node: id, output });
      if (output.kind === 'send') {
        const link = { from: id, to: output.to, body: output.body, time: now };
        if (!nodes.has(output.to)) continue; // to a client: recorded only
        if (drop?.(link)) {
          lost.add(output);
          continue;
        }
        enqueue({ kind: 'deliver', from: id, to: output.to, body: output.body, time: now + delayOf(link) });
      } else if (output.kind === 'setTimer') {
        const gen = ++timerGen;
        node.timers.set(output.name, gen);
        enqueue({ kind: 'timer', node: id, name: output.name, gen, time: now + output.afterMs });
      } else if (output.kind === 'cancelTimer') {
        node.timers.delete(output.name);
      }
    }
  }

  function start(id: string): void {
    const node = nodeOf(id);
    const [state, outputs] = program.protocol.init({
      kind: 'start', self: id, peers: [...nodeIds], params: fullParams, now: now + node.offset, seed,
    });
    node.state = state;
    apply(id, outputs);
  }

  function feed(id: string, input: Input): void {
    const node = nodeOf(id);
    if (node.crashed) return;
    if (node.paused) {
      node.held.push(input);
      return;
    }
    const local = now + node.offset;
    if (input.kind === 'timer') {
      if (node.timers.get(input.name) !== input.gen) return;
      node.timers.delete(input.name);
    }
    const [state, outputs] = program.protocol.step(
      node.state,
      input.kind === 'timer'
        ? { kind: 'timer', name: input.name, now: local }
        : { kind: 'message', from: input.from, body: input.body, now: local },
    );
    node.state = state;
    apply(id, outputs);
  }

  for (const id of nodeIds) {
    nodes.set(id, { state: undefined, crashed: false, paused: false, offset: options.clockOffsets?.[id] ?? 0, timers: new Map(), held: [] });
  }
  for (const id of nodeIds) start(id);

  const outputsOf = <K extends Output['kind']>(kind: K) =>
    records.flatMap((r) => (r.output.kind === kind ? [{ time: r.time, node: r.node, output: r.output as Extract<Output, { kind: K }> }] : []));

  return {
    get now() { return now; },
    records,
    runUntil(ms) {
      while (queue.length > 0 && queue[0].time <= ms) {
        const item = queue.shift()!;
        now = Math.max(now, item.time);
        if (item.kind === 'deliver') feed(item.to, { kind: 'message', from: item.from, body: item.body });
        else if (item.kind === 'timer') feed(item.node, { kind: 'timer', name: item.name, gen: item.gen });
        else item.run();
      }
      now = Math.max(now, ms);
    },
    at(ms, run) { enqueue({ kind: 'action', run, time: ms }); },
    crash(id) {
      const node = nodeOf(id);
      Object.assign(node, { crashed: true, paused: false, held: [] });
      node.timers.clear();
    },
    restart(id) {
      const node = nodeOf(id);
      Object.assign(node, { crashed: false, paused: false, held: [] });
      node.timers.clear();
      start(id);
    },
    pause(id) { nodeOf(id).paused = true; },
    resume(id) {
      const node = nodeOf(id);
      if (!node.paused) return;
      node.paused = false;
      const held = node.held;
      node.held = [];
      // Messages first, then timers: the network buffered them while the node slept.
      for (const input of held) if (input.kind === 'message') feed(id, input);
      for (const input of held) if (input.kind === 'timer') feed(id, input);
    },
    setClockOffset(id, offsetMs) { nodeOf(id).offset = offsetMs; },
    setDrop(next) { drop = next; },
    partition(...groups) {
      const groupOf = (id: string) => groups.findIndex((g) => g.includes(id));
      drop = ({ from, to }) => groupOf(from) >= 0 && groupOf(to) >= 0 && groupOf(from) !== groupOf(to);
    },
    inject(to, from, body) {
      enqueue({ kind: 'deliver', from, to, body, time: now + delayOf({ from, to, body, time: now }) });
    },
    stateOf: <S>(id: string) => nodeOf(id).state as S,
    events: (type) => outputsOf('event').filter((r) => type === undefined || r.output.type === type)
      .map((r) => ({ time: r.time, node: r.node, type: r.output.type, data: r.output.data })),
    metrics: (name) => outputsOf('metric').filter((r) => name === undefined || r.output.name === name)
      .map((r) => ({ time: r.time, node: r.node, name: r.output.name, value: r.output.value })),
    states: (key) => outputsOf('state').filter((r) => key === undefined || r.output.key === key)
      .map((r) => ({ time: r.time, node: r.node, key: r.output.key, value: r.output.value })),
    sends: (type) => outputsOf('send').filter((r) => type === undefined || r.output.body.type === type)
      .map((r) => ({ time: r.time, node: r.node, to: r.output.to, body: r.output.body, dropped: lost.has(r.output) })),
  };
}

/** One node driven by hand: feed messages and timer firings at chosen local times. */
export interface NodeDriver<S> {
  readonly state: S;
  /** What init returned. */
  readonly initOutputs: Output[];
  message(from: string, body: Body, now: number): Output[];
  timer(name: string, now: number): Output[];
}

export function driveNode<S>(program: Program, self: string, peers: string[], params: Params = {}, at = { now: 0, seed: 1 }): NodeDriver<S> {
  const protocol = program.protocol;
  const [initial, initOutputs] = protocol.init({ kind: 'start', self, peers, params: withDefaults(program, params), ...at });
  let state = initial;
  const step = (input: Parameters<typeof protocol.step>[1]): Output[] => {
    const [next, outputs] = protocol.step(state, input);
    state = next;
    return outputs;
  };
  return {
    get state() { return state as S; },
    initOutputs,
    message: (from, body, now) => step({ kind: 'message', from, body, now }),
    timer: (name, now) => step({ kind: 'timer', name, now }),
  };
}
