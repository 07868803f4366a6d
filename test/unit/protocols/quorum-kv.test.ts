import { describe, it, expect } from 'vitest';
import { quorumKv, expectation, configOf } from '../../../core/protocols/quorum/quorum-kv.js';
import { placement, ringFrom } from '../../../core/protocols/quorum/preference.js';
import { mergeSiblings, newest, nextVersion, supersedes, type Sibling } from '../../../core/protocols/quorum/versions.js';
import type { QuorumState } from '../../../core/protocols/quorum/types.js';
import { checkLinearizability } from '../../../core/checks/linearizability.js';
import { createRng, withDefaults } from '../../../core/sdk/index.js';
import { parseExperimentText } from '../../../core/experiment/load.js';
import { programNames } from '../../../core/programs/registry.js';
import { createSim } from './sim.js';
import { testClient } from './maelstrom-client.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const KEY = 7;
const { preferred } = placement(KEY, nodes, 3, 'n1');
/** A node outside the key's replicas, to coordinate from. */
const outsider = nodes.find((n) => !preferred.includes(n))!;
const others = (...group: string[]) => nodes.filter((n) => !group.includes(n));
const held = (sim: ReturnType<typeof createSim>, node: string) => sim.stateOf<QuorumState>(node).store.get(JSON.stringify(KEY))?.siblings.map((s) => s.value) ?? [];
const lastOp = (sim: ReturnType<typeof createSim>) => sim.events('quorum-op').at(-1)!.data;

describe('placement on the hash ring', () => {
  it('gives every key N distinct consecutive nodes, the same on every node, and the coordinator first among stand-ins', () => {
    for (const key of [0, 1, 2, 'x', [1, 2]]) {
      const p = placement(key, nodes, 3, 'n1');
      expect(new Set(p.preferred).size).toBe(3);
      expect([...p.preferred, ...p.fallbacks].sort()).toEqual(nodes);
      expect(ringFrom(key, nodes).slice(0, 3)).toEqual(placement(key, nodes, 3, 'n4').preferred);
    }
    expect(placement(KEY, nodes, 3, outsider).fallbacks[0]).toBe(outsider);
  });
});

describe('versions', () => {
  const write = (value: unknown, context: Sibling[], node: string, last = 0) => ({ value, version: nextVersion('vector', context, node, last).version });

  it('vector clocks: writes that did not see each other are siblings; a write that saw both supersedes them', () => {
    const a = write('a', [], 'n1');
    const b = write('b', [], 'n2');
    const both = mergeSiblings([a], [b]);
    expect(both.map((s) => s.value).sort()).toEqual(['a', 'b']);
    const c = write('c', both, 'n3');
    expect(supersedes(c.version, a.version) && supersedes(c.version, b.version)).toBe(true);
    expect(mergeSiblings(both, [c]).map((s) => s.value)).toEqual(['c']);
    // Every coordinator answers the same sibling.
    expect(newest(mergeSiblings([b], [a]))!.value).toBe(newest(both)!.value);
  });

  it('LWW: one total order by (counter, node id), so a replica keeps one value', () => {
    const a = { value: 'a', version: nextVersion('lww', [], 'n1', 0).version };
    const b = { value: 'b', version: nextVersion('lww', [], 'n2', 0).version };
    expect(a.version).toEqual({ counter: 1, node: 'n1' });
    expect(mergeSiblings([a], [b]).map((s) => s.value)).toEqual(['b']);
    const c = nextVersion('lww', [b], 'n1', 1).version;
    expect(c).toEqual({ counter: 2, node: 'n1' });
  });

  it('one writer never stamps two writes alike, even from the same context', () => {
    for (const versioning of ['vector', 'lww'] as const) {
      const first = nextVersion(versioning, [], 'n1', 0);
      const second = nextVersion(versioning, [], 'n1', first.issued);
      expect(second.version).not.toEqual(first.version);
      expect(supersedes(second.version, first.version) || !supersedes(first.version, second.version)).toBe(true);
    }
  });
});

describe('quorum counting', () => {
  it('a write is acknowledged once W replicas stored it, with the replicas contacted and answered', () => {
    const sim = createSim(quorumKv, nodes, { replicas: 3, r: 2, w: 2 });
    const client = testClient(sim);
    sim.partition([preferred[2]], others(preferred[2]));
    expect(client.ask(outsider, { type: 'write', key: KEY, value: 1 })).toMatchObject({ type: 'write_ok' });
    expect(lastOp(sim)).toMatchObject({ op: 'write', ok: true, contacted: preferred, answered: preferred.slice(0, 2) });
    expect(held(sim, preferred[0])).toEqual([1]);
    expect(held(sim, preferred[2])).toEqual([]);
    expect(client.ask(outsider, { type: 'read', key: KEY })).toMatchObject({ type: 'read_ok', value: 1 });
  });

  it('too few answers before the store phase: a definite error 11; after it began: indefinite error 0', () => {
    const sim = createSim(quorumKv, nodes, { replicas: 3, r: 2, w: 2, timeout: 100 });
    const client = testClient(sim);
    sim.partition([outsider], others(outsider));
    expect(client.ask(outsider, { type: 'write', key: KEY, value: 1 }, 150)).toMatchObject({ type: 'error', code: 11 });
    expect(client.ask(outsider, { type: 'read', key: KEY }, 150)).toMatchObject({ type: 'error', code: 11 });
    // The query phase is answered (delay 1 ms each way), then the replicas are cut off.
    sim.partition();
    const id = client.send(outsider, { type: 'write', key: KEY, value: 2 });
    sim.runUntil(sim.now + 2.5);
    sim.partition([outsider], others(outsider));
    sim.runUntil(sim.now + 150);
    expect(client.replyTo(id)).toMatchObject({ type: 'error', code: 0 });
  });

  it('a key never written reads as error 20; cas is not supported (error 10, definite)', () => {
    const sim = createSim(quorumKv, nodes);
    const client = testClient(sim);
    expect(client.ask('n1', { type: 'read', key: KEY })).toMatchObject({ type: 'error', code: 20 });
    expect(client.ask('n1', { type: 'cas', key: KEY, from: 1, to: 2 })).toMatchObject({ type: 'error', code: 10 });
  });
});

describe('read repair', () => {
  it('R + W > N: a read that finds a stale replica writes the newest value back before it answers', () => {
    const sim = createSim(quorumKv, nodes, { replicas: 3, r: 2, w: 2 });
    const client = testClient(sim);
    sim.partition([preferred[2]], others(preferred[2]));
    client.ask(outsider, { type: 'write', key: KEY, value: 1 });
    // Now the up-to-date preferred[0] is away: a read quorum is preferred[1] and the stale preferred[2].
    sim.partition([preferred[0]], others(preferred[0]));
    expect(client.ask(outsider, { type: 'read', key: KEY })).toMatchObject({ type: 'read_ok', value: 1 });
    expect(lastOp(sim)).toMatchObject({ op: 'read', behind: 1, replicasBehind: 1, siblings: 1 });
    expect(held(sim, preferred[2])).toEqual([1]);
    // The answer waited for the write-back: two round trips (query, store), not one.
    const reply = sim.sends().filter((s) => s.to === 'c1').at(-1)!;
    const putBack = sim.sends('q_put').filter((s) => s.to === preferred[2]).at(-1)!;
    expect(reply.time).toBeGreaterThan(putBack.time);
    expect(sim.metrics('stale_reads').at(-1)!.value).toBe(1);
  });

  it('without it the stale replica stays stale', () => {
    const sim = createSim(quorumKv, nodes, { replicas: 3, r: 2, w: 2, readRepair: false });
    const client = testClient(sim);
    sim.partition([preferred[2]], others(preferred[2]));
    client.ask(outsider, { type: 'write', key: KEY, value: 1 });
    sim.partition([preferred[0]], others(preferred[0]));
    expect(client.ask(outsider, { type: 'read', key: KEY })).toMatchObject({ type: 'read_ok', value: 1 });
    expect(held(sim, preferred[2])).toEqual([]);
  });

  it('R + W ≤ N: the stale replica is repaired in the background, as the answer leaves', () => {
    const sim = createSim(quorumKv, nodes, { replicas: 3, r: 2, w: 1 });
    const client = testClient(sim);
    sim.setDrop((link) => link.body.type === 'q_put' && link.to !== preferred[0]);
    client.ask(outsider, { type: 'write', key: KEY, value: 1 });
    sim.setDrop();
    expect(held(sim, preferred[1])).toEqual([]);
    expect(client.ask(outsider, { type: 'read', key: KEY })).toMatchObject({ type: 'read_ok', value: 1 });
    expect(lastOp(sim)).toMatchObject({ answered: preferred.slice(0, 2), replicasBehind: 1 });
    expect(held(sim, preferred[1])).toEqual([1]);
    const reply = sim.sends().filter((s) => s.to === 'c1').at(-1)!;
    const putBack = sim.sends('q_put').filter((s) => s.to === preferred[1]).at(-1)!;
    expect(reply.time).toBe(putBack.time);
  });
});

describe('sloppy quorum and hinted handoff', () => {
  it('cut off from every home replica, the coordinator stands in, holds a hint, and hands it back after the heal', () => {
    const sim = createSim(quorumKv, nodes, { replicas: 3, r: 1, w: 1, sloppy: true, timeout: 100 });
    const client = testClient(sim);
    sim.partition([outsider], others(outsider));
    expect(client.ask(outsider, { type: 'write', key: KEY, value: 1 }, 200)).toMatchObject({ type: 'write_ok' });
    // Every home replica was silent: stand-ins for each, of which the coordinator answered.
    expect(lastOp(sim)).toMatchObject({ answered: [outsider], hinted: { [outsider]: preferred[0] } });
    expect(sim.states('hints').filter((s) => s.node === outsider).at(-1)!.value).toEqual({ [preferred[0]]: [String(KEY)] });
    expect(client.ask(outsider, { type: 'read', key: KEY }, 200)).toMatchObject({ type: 'read_ok', value: 1 });
    expect(held(sim, preferred[0])).toEqual([]);
    sim.partition();
    sim.runUntil(sim.now + 250);
    expect(held(sim, preferred[0])).toEqual([1]);
    expect(sim.stateOf<QuorumState>(outsider).hints.size).toBe(0);
    expect(sim.metrics('hints_pending').filter((m) => m.node === outsider).at(-1)!.value).toBe(0);
    expect(sim.metrics('handoffs').filter((m) => m.node === outsider).at(-1)!.value).toBe(1);
  });

  it('without it the same write fails', () => {
    const sim = createSim(quorumKv, nodes, { replicas: 3, r: 1, w: 1, timeout: 100 });
    const client = testClient(sim);
    sim.partition([outsider], others(outsider));
    expect(client.ask(outsider, { type: 'write', key: KEY, value: 1 }, 200)).toMatchObject({ type: 'error', code: 11 });
  });
});

describe('concurrent writes', () => {
  it('two coordinators that did not see each other: siblings with vector clocks, one winner with LWW', () => {
    for (const [versioning, siblings] of [['vector', ['a', 'b']], ['lww', ['b']]] as const) {
      // R = 1: each home replica answers its own query phase, so neither write sees the other.
      const sim = createSim(quorumKv, nodes, { replicas: 3, r: 1, w: 3, versioning });
      const client = testClient(sim);
      const [first, second] = preferred[0] < preferred[1] ? [preferred[0], preferred[1]] : [preferred[1], preferred[0]];
      client.send(first, { type: 'write', key: KEY, value: 'a' });
      client.send(second, { type: 'write', key: KEY, value: 'b' });
      sim.runUntil(20);
      for (const node of preferred) expect(held(sim, node).sort()).toEqual(siblings);
      // Every coordinator answers the same value from the same siblings.
      const reads = preferred.map((node) => client.ask(node, { type: 'read', key: KEY }));
      expect(new Set(reads.map((r) => r?.value)).size).toBe(1);
      expect(lastOp(sim).siblings).toBe(siblings.length);
      expect(sim.metrics('conflicting_reads').at(-1)!.value).toBe(siblings.length > 1 ? 1 : 0);
    }
  });

  it('a write that read the siblings supersedes them', () => {
    const sim = createSim(quorumKv, nodes, { replicas: 3, r: 1, w: 3 });
    const client = testClient(sim);
    client.send(preferred[0], { type: 'write', key: KEY, value: 'a' });
    client.send(preferred[1], { type: 'write', key: KEY, value: 'b' });
    sim.runUntil(20);
    client.ask(preferred[2], { type: 'write', key: KEY, value: 'c' });
    for (const node of preferred) expect(held(sim, node)).toEqual(['c']);
  });
});

describe('linearizability', () => {
  /** Four clients over five coordinators, two keys, the network cut at random every 40 requests. */
  const randomHistory = (params: Record<string, unknown>) => {
    const rng = createRng(5, 'quorum-test');
    const sim = createSim(quorumKv, nodes, { replicas: 3, timeout: 30, ...params }, { delay: (_l, r) => 1 + r.int(4) });
    const clients = ['c1', 'c2', 'c3', 'c4'].map((name) => testClient(sim, name));
    let value = 1;
    for (let step = 0; step < 300; step++) {
      if (step % 40 === 0) {
        const cut = nodes.filter(() => rng.next() < 0.4);
        sim.partition(...(rng.next() < 0.3 ? [] : [cut, others(...cut)]));
      }
      const client = clients[step % clients.length];
      const key = rng.int(2);
      client.send(nodes[rng.int(nodes.length)], rng.next() < 0.5 ? { type: 'read', key } : { type: 'write', key, value: value++ });
      sim.runUntil(sim.now + rng.int(5));
    }
    sim.partition();
    sim.runUntil(sim.now + 200);
    return clients.flatMap((c) => c.history());
  };

  it.each(['vector', 'lww'])('R = W = 2 of N = 3 through random partitions, %s versions: linearizable, though some operations failed', (versioning) => {
    const history = randomHistory({ r: 2, w: 2, versioning });
    expect(history.filter((h) => h.outcome === 'ok').length).toBeGreaterThan(100);
    expect(history.filter((h) => h.outcome !== 'ok').length).toBeGreaterThan(0);
    expect(checkLinearizability(history).verdict).toBe('valid');
  });

  it('R = W = 2 of N = 3: the read write-back is what keeps a later read from seeing less (new, then old, without it)', () => {
    for (const readRepair of [true, false]) {
      const sim = createSim(quorumKv, nodes, { replicas: 3, r: 2, w: 2, timeout: 100, readRepair });
      const client = testClient(sim);
      const [p0, p1, p2] = preferred;
      client.ask(outsider, { type: 'write', key: KEY, value: 1 });
      // A write of 2 reaches only p0 (its coordinator) and stays unfinished.
      let away = '';
      sim.setDrop((l) => (l.body.type === 'q_put' && l.from === p0) || l.from === away || l.to === away);
      client.send(p0, { type: 'write', key: KEY, value: 2 });
      sim.runUntil(sim.now + 10);
      away = p2;
      const first = client.ask(outsider, { type: 'read', key: KEY });
      away = p0;
      const second = client.ask(outsider, { type: 'read', key: KEY });
      sim.runUntil(sim.now + 200);
      expect([first?.value, second?.value]).toEqual(readRepair ? [2, 2] : [2, 1]);
      expect(held(sim, p1)).toEqual(readRepair ? [2] : [1]);
      expect(checkLinearizability(client.history()).verdict).toBe(readRepair ? 'valid' : 'invalid');
    }
  });

  it('R = W = 1 with a sloppy quorum on the same schedule: not linearizable, and more operations succeed', () => {
    const strictOk = randomHistory({ r: 2, w: 2 }).filter((h) => h.outcome === 'ok').length;
    const history = randomHistory({ r: 1, w: 1, sloppy: true });
    expect(history.filter((h) => h.outcome === 'ok').length).toBeGreaterThan(strictOk);
    expect(checkLinearizability(history).verdict).toBe('invalid');
  });
});

describe('bad parameters are rejected before the run, naming the field', () => {
  const experiment = (params: string, count = 5) =>
    `name: q\nseed: 1\nduration: 1s\nnodes: { count: ${count}, program: quorum-kv, params: ${params} }\n`;
  const problems = (text: string): string[] => {
    try {
      parseExperimentText(text, { source: 'q.yaml', programs: programNames() });
    } catch (error) {
      return (error as Error).message.split('\n');
    }
    return [];
  };

  it('R or W greater than N, N greater than the node count', () => {
    expect(problems(experiment('{ replicas: 3, r: 4, w: 2 }'))).toEqual(['q.yaml: nodes.params.r: expected at most replicas (N = 3), got 4']);
    expect(problems(experiment('{ w: 5 }'))).toEqual(['q.yaml: nodes.params.w: expected at most replicas (N = 3), got 5']);
    expect(problems(experiment('{ replicas: 4 }', 3))).toEqual(['q.yaml: nodes.params.replicas: expected at most the node count (3) replicas per key, got 4']);
    expect(problems(experiment('{ versioning: wall }'))[0]).toContain('nodes.params.versioning');
    expect(problems(experiment('{ replicas: 3, r: 3, w: 3, sloppy: true }'))).toEqual([]);
  });
});

describe('parameters', () => {
  it('the expectation names what the linearizability check should find', () => {
    const c = (p: Record<string, unknown>) => configOf(withDefaults(quorumKv, p));
    expect(expectation(c({})).text).toBe('N = 3, R = 2, W = 2: R + W > N without a sloppy quorum: linearizable expected');
    expect(expectation(c({ r: 1, w: 1, sloppy: true })).linearizableExpected).toBe(false);
    expect(expectation(c({ r: 1, w: 1, sloppy: true })).text).toContain('not linearizable by design; a failure here is the lesson');
    expect(expectation(c({ r: 3, w: 1, sloppy: true })).linearizableExpected).toBe(false);
  });
});
