// The good and the broken nodes under a random concurrent load on the in-memory network,
// judged by the real checkers: linearizability for lin-kv, Elle for txn-list-append.
import { describe, expect, it } from 'vitest';
import { checkTransactions } from '../../core/checks/elle/check.js';
import type { HistoryOp } from '../../core/checks/history.js';
import { checkLinearizability } from '../../core/checks/linearizability.js';
import { linKvStale } from '../../core/protocols/maelstrom/stale-kv.js';
import { txnListAppend } from '../../core/protocols/maelstrom/serialized-txn.js';
import { txnWriteCycle } from '../../core/protocols/maelstrom/txn-write-cycle.js';
import { raft } from '../../core/protocols/raft/programs.js';
import { createRng } from '../../core/sdk/index.js';
import type { Body, Program, Rng } from '../../core/sdk/index.js';
import { createSim, type Sim } from './protocols/sim.js';
import { testClient } from './protocols/maelstrom-client.js';

const THREE = ['n1', 'n2', 'n3'];

/** n1 is cut off from n2 and n3 from 500 ms to 1200 ms. */
const PARTITION_THEN_HEAL = (sim: Sim) => {
  sim.at(500, () => sim.partition(['n1'], ['n2', 'n3']));
  sim.at(1200, () => sim.setDrop(undefined));
};

/** Each client c1…c3 talks to its own node and sends a request every `everyMs` until `untilMs`. */
function runLoad(program: Program, request: (rng: Rng) => Body, untilMs: number, faults?: (sim: Sim) => void, everyMs = 10): HistoryOp[] {
  const sim = createSim(program, THREE, {}, { delay: (_link, rng) => 1 + rng.int(5) });
  faults?.(sim);
  const clients = THREE.map((_, i) => testClient(sim, `c${i + 1}`));
  const rng = createRng(3, 'load');
  for (let t = 0; t < untilMs; t += everyMs) {
    sim.runUntil(t);
    clients.forEach((client, i) => client.send(THREE[i], request(rng)));
  }
  sim.runUntil(untilMs + 2000);
  // Ids must be unique across clients, as rows of a run's operations are.
  return clients.flatMap((client, i) => client.history().map((op) => ({ ...op, id: op.id + i * 1_000_000 })));
}

describe('lin-kv under the linearizability checker', () => {
  let nextValue = 1;
  const kvRequest = (rng: Rng): Body => {
    const key = rng.int(2);
    const kind = rng.int(3);
    if (kind === 0) return { type: 'read', key };
    if (kind === 1) return { type: 'write', key, value: nextValue++ };
    return { type: 'cas', key, from: rng.int(nextValue), to: nextValue++ };
  };

  it('passes raft, the built-in node for lin-kv, across a partition that heals', () => {
    const history = runLoad(raft, kvRequest, 2000, PARTITION_THEN_HEAL);
    expect(history.filter((op) => op.outcome === 'ok').length).toBeGreaterThan(100);
    expect(history.some((op) => op.outcome === 'unknown')).toBe(true);
    expect(checkLinearizability(history).verdict).toBe('valid');
  });

  it('catches lin-kv-stale serving a stale read', () => {
    const result = checkLinearizability(runLoad(linKvStale, kvRequest, 1500));
    expect(result.verdict).toBe('invalid');
    expect(result.failure?.blockingOp).toBeDefined();
  });
});

describe('txn-list-append under the Elle checker', () => {
  let nextValue = 1;
  const appendRequest = (rng: Rng): Body => ({
    type: 'txn',
    txn: Array.from({ length: 1 + rng.int(3) }, () => (rng.int(2) === 0 ? ['r', rng.int(3), null] : ['append', rng.int(3), nextValue++])),
  });

  it('finds no anomaly in the owner-serialised node (strict-serializable), across a partition that heals', () => {
    const history = runLoad(txnListAppend, appendRequest, 1500, PARTITION_THEN_HEAL);
    expect(history.some((op) => op.outcome === 'unknown')).toBe(true);
    const result = checkTransactions(history, { workload: 'list-append' });
    expect(history.filter((op) => op.outcome === 'ok').length).toBeGreaterThan(200);
    expect(result.anomalyTypes).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('catches txn-write-cycle: its nodes order appends differently, and its txns depend on each other in a cycle', () => {
    const result = checkTransactions(runLoad(txnWriteCycle, appendRequest, 1000), { workload: 'list-append' });
    expect(result.valid).toBe(false);
    expect(result.forbidden).toContain('incompatible-order');
    expect(result.anomalies.some((a) => a.cycle !== undefined)).toBe(true);
  });
});
