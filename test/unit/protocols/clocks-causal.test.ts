import { describe, it, expect } from 'vitest';
import type { Output, Program } from '../../../core/sdk/index.js';
import { causalBroadcast, causalBroadcastProtocol } from '../../../core/protocols/clocks/causal-broadcast.js';
import { causallyReady, missingDependencies } from '../../../core/protocols/clocks/causal-delivery.js';
import type { VectorClock } from '../../../core/protocols/clocks/vector-clock.js';
import { checkCausalDelivery } from '../../../core/checks/causal.js';
import { ClockSim, type SimNetwork } from './clock-sim.js';

type Deliver = { origin: string; seq: number; vc: VectorClock; message: number };

const deliveredMessages = (sim: ClockSim, node: string) => sim.events<Deliver>('deliver', node).map((d) => d.message);

/** The run's deliveries and broadcasts, in the shapes the causal check reads. */
function causalCheckOf(sim: ClockSim) {
  const deliveries = sim.outputs.flatMap((o) =>
    o.output.kind === 'event' && o.output.type === 'deliver' ? [{ ...(o.output.data as Deliver), node: o.node, tUs: o.order }] : [],
  );
  const broadcasts = deliveries.filter((d) => d.node === d.origin).map(({ origin, seq }) => ({ origin, seq }));
  return checkCausalDelivery(deliveries, broadcasts, sim.nodes);
}

function broadcastMany(sim: ClockSim, count: number, gapMs: number): void {
  for (let i = 0; i < count; i++) {
    expect(sim.client(sim.nodes[i % sim.nodes.length], { type: 'broadcast', message: 100 + i, msg_id: i })).toEqual([
      { type: 'broadcast_ok', in_reply_to: i },
    ]);
    sim.runFor(gapMs);
  }
}

describe('causal delivery condition', () => {
  it('needs the next message from the origin and everything it had seen from others', () => {
    expect(causallyReady({ n1: 0, n2: 0 }, 'n1', { n1: 1, n2: 0 })).toBe(true);
    expect(causallyReady({ n1: 0, n2: 0 }, 'n1', { n1: 2, n2: 0 })).toBe(false); // a gap from n1
    expect(causallyReady({ n1: 1, n2: 0 }, 'n1', { n1: 1, n2: 0 })).toBe(false); // already delivered
    expect(causallyReady({ n1: 0, n2: 0 }, 'n2', { n1: 1, n2: 1 })).toBe(false); // depends on n1's first
    expect(causallyReady({ n1: 3, n2: 0 }, 'n2', { n1: 1, n2: 1 })).toBe(true);
    expect(missingDependencies({ n1: 0, n2: 0, n3: 1 }, 'n2', { n1: 2, n2: 3, n3: 1 })).toEqual({ n1: 2, n2: 2 });
  });
});

describe('causal-broadcast program', () => {
  it('delivers its own broadcast at once and sends it to every peer with a retransmit timer', () => {
    const [s] = causalBroadcast.protocol.init({ kind: 'start', self: 'n1', peers: ['n1', 'n2', 'n3'], params: { retransmitInterval: 100, maxRetransmits: 50 }, now: 0, seed: 1 });
    const [, outs] = causalBroadcast.protocol.step(s, { kind: 'message', from: 'c1', body: { type: 'broadcast', message: 42, msg_id: 9 }, now: 0 });
    const vc = { n1: 1, n2: 0, n3: 0 };
    expect(outs).toEqual<Output[]>([
      { kind: 'event', type: 'deliver', data: { origin: 'n1', seq: 1, vc, message: 42 } },
      { kind: 'send', to: 'n2', body: { type: 'cbcast', origin: 'n1', seq: 1, clock: vc, message: 42 } },
      { kind: 'send', to: 'n3', body: { type: 'cbcast', origin: 'n1', seq: 1, clock: vc, message: 42 } },
      { kind: 'setTimer', name: 'retransmit:1', afterMs: 100 },
      { kind: 'send', to: 'c1', body: { type: 'broadcast_ok', in_reply_to: 9 } },
      { kind: 'metric', name: 'unacked', value: 1 },
      { kind: 'state', key: 'vclock', value: vc },
    ]);
  });

  // m1 from n1, then m2 from n2 after n2 delivered m1; n3 gets m2 first.
  function withheldRun(program: Program): ClockSim {
    const sim = new ClockSim(program, ['n1', 'n2', 'n3']);
    sim.withhold = (m) => m.to === 'n3' && m.body.type === 'cbcast' && m.body.origin === 'n1';
    sim.client('n1', { type: 'broadcast', message: 1, msg_id: 1 });
    sim.runFor(50);
    sim.client('n2', { type: 'broadcast', message: 2, msg_id: 1 });
    sim.runFor(50);
    return sim;
  }

  it('buffers a message until its causal past arrives, then delivers both in order', () => {
    const sim = withheldRun(causalBroadcast);
    expect(deliveredMessages(sim, 'n2')).toEqual([1, 2]);
    expect(deliveredMessages(sim, 'n3')).toEqual([]);
    expect(sim.events('buffer', 'n3')).toEqual([{ origin: 'n2', seq: 1, waitingFor: { n1: 1 } }]);
    expect(sim.metrics('buffered', 'n3')).toEqual([1]);

    sim.withhold = () => false;
    sim.release();
    sim.runFor(50);
    expect(sim.events<Deliver>('deliver', 'n3')).toEqual([
      { origin: 'n1', seq: 1, vc: { n1: 1, n2: 0, n3: 0 }, message: 1 },
      { origin: 'n2', seq: 1, vc: { n1: 1, n2: 1, n3: 0 }, message: 2 },
    ]);
    expect(sim.metrics('buffered', 'n3')).toEqual([1, 0]);
    expect(sim.client('n3', { type: 'read', msg_id: 7 })).toEqual([{ type: 'read_ok', messages: [1, 2], in_reply_to: 7 }]);
    sim.runFor(300);
    for (const node of ['n1', 'n2']) expect(sim.metrics('unacked', node).at(-1)).toBe(0);
    expect(causalCheckOf(sim)).toMatchObject({ valid: true, complete: true, outOfOrder: 0, duplicates: 0 });
  });

  it('a variant that ignores the condition delivers out of causal order, and the check says so', () => {
    const sim = withheldRun(causalBroadcastProtocolProgram(() => true));
    sim.withhold = () => false;
    sim.release();
    sim.runFor(50);
    expect(deliveredMessages(sim, 'n3')).toEqual([2, 1]);
    const result = causalCheckOf(sim);
    expect(result).toMatchObject({ valid: false, outOfOrder: 1, duplicates: 0 });
    expect(result.violations).toEqual([{ kind: 'out-of-order', node: 'n3', origin: 'n2', seq: 1, tUs: expect.any(Number), missing: { origin: 'n1', seq: 1 } }]);
  });

  it('delivers every message exactly once under duplication and reordering', () => {
    const network: SimNetwork = { latencyMs: 2, jitterMs: 40, duplicate: 0.5 };
    const sim = new ClockSim(causalBroadcast, ['n1', 'n2', 'n3', 'n4'], { seed: 11, network });
    broadcastMany(sim, 40, 3);
    sim.runFor(2000);
    const copies = sim.handled.filter((m) => m.body.type === 'cbcast').length;
    expect(copies).toBeGreaterThan(40 * 3); // duplicates did arrive
    expect(sim.events('buffer').length).toBeGreaterThan(0); // and reordering forced buffering
    for (const node of sim.nodes) {
      const got = deliveredMessages(sim, node);
      expect(got).toHaveLength(40);
      expect(new Set(got).size).toBe(40);
    }
    expect(causalCheckOf(sim)).toMatchObject({ valid: true, complete: true, deliveries: 160, duplicates: 0, outOfOrder: 0, missing: 0 });
  });

  it('retransmits through loss until everything is delivered everywhere', () => {
    const sim = new ClockSim(causalBroadcast, ['n1', 'n2', 'n3', 'n4'], { seed: 4, network: { latencyMs: 5, jitterMs: 10, loss: 0.3 } });
    broadcastMany(sim, 20, 10);
    sim.runFor(5000);
    const retransmitted = sim.outputs.filter((o) => o.output.kind === 'send' && o.output.body.type === 'cbcast').length;
    expect(retransmitted).toBeGreaterThan(20 * 3);
    expect(sim.events('give-up')).toEqual([]);
    for (const node of sim.nodes) expect(sim.metrics('unacked', node).at(-1) ?? 0).toBe(0);
    expect(causalCheckOf(sim)).toMatchObject({ valid: true, complete: true, deliveries: 80 });
  });

  it('gives up after maxRetransmits when a peer never acks', () => {
    const sim = new ClockSim(causalBroadcast, ['n1', 'n2', 'n3'], { params: { maxRetransmits: 3 } });
    sim.withhold = (m) => m.to === 'n3';
    sim.client('n1', { type: 'broadcast', message: 5, msg_id: 1 });
    sim.runFor(1000);
    expect(sim.held.filter((m) => m.body.type === 'cbcast')).toHaveLength(4); // the send and 3 retransmits
    expect(sim.events('give-up', 'n1')).toEqual([{ seq: 1, peers: ['n3'] }]);
    expect(sim.metrics('unacked', 'n1')).toEqual([1, 0]);
    expect(causalCheckOf(sim)).toMatchObject({ valid: true, complete: false, missing: 1, missingExamples: [{ node: 'n3', origin: 'n1', seq: 1 }] });
  });
});

function causalBroadcastProtocolProgram(condition: Parameters<typeof causalBroadcastProtocol>[0]): Program {
  return { ...causalBroadcast, protocol: causalBroadcastProtocol(condition) };
}
