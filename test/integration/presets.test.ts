import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import path from 'node:path';
import { repoRoot, runCliAsync, tempDir, lastJsonLine } from './helpers.js';

// Each shipped preset runs headless with `distlab run`, as a user would, and finishes in
// well under 30 s. Those whose lesson is a failing check say so here. Three run at a time
// (vitest's maxConcurrency): they spend their time waiting for their run's clock.
const EXPECTED_INVALID: Record<string, string[]> = {
  'primary-backup-async-loss.yaml': ['committed-not-lost', 'logs-agree'],
  'maelstrom-lin-kv-stale.yaml': ['linearizability'],
  'maelstrom-g-counter-lossy.yaml': ['g-counter'],
  'maelstrom-txn-write-cycle.yaml': ['transactions'],
  // R = W = 1 with a sloppy quorum: its stale reads (asserted below) are not linearizable.
  'cap-ap-quorum.yaml': ['linearizability'],
};
/**
 * Checks a preset may fail or leave undecided, by the speed of the machine: primary-backup's
 * failovers make some keys' histories not linearizable (a stale read around a failover),
 * and whether the search decides that within its budget depends on the CPU it gets; its
 * bully election under loss may crown two primaries in one term.
 */
const MAY_BE_INVALID: Record<string, string[]> = {
  // The primary is elected by the bully algorithm over a lossy link, which is itself unsafe
  // (the presets' second lesson): when an election message is lost, two nodes can both
  // announce themselves for one term. Seen in 2 of 4 CI rehearsals on 2026-12-04.
  'primary-backup-sync-loss.yaml': ['linearizability', 'leader-per-term'],
  'primary-backup-async-loss.yaml': ['linearizability', 'leader-per-term'],
  // R = W = 1 without a partition: a read can miss a write still on its way, when timing allows.
  'pacelc-el-quorum.yaml': ['linearizability'],
};
/** What the broken presets' failing checks must show: the evidence, not just the verdict. */
const FINDINGS: Record<string, (checks: Record<string, any>) => void> = {
  'maelstrom-lin-kv-stale.yaml': (c) => {
    expect(c.linearizability.failure.blockingOp.f).toBe('read');
    expect(c.linearizability.failure.operations.length).toBeGreaterThan(1);
  },
  'maelstrom-g-counter-lossy.yaml': (c) => {
    expect(c['g-counter'].errors.length).toBeGreaterThan(0);
    for (const e of c['g-counter'].errors) expect(e.value).toBeLessThan(c['g-counter'].bounds.lower);
  },
  'maelstrom-txn-write-cycle.yaml': (c) => {
    expect(c.transactions.forbidden.length).toBeGreaterThan(0);
    expect(c.transactions.anomalies.some((a: { cycle?: unknown[] }) => (a.cycle?.length ?? 0) >= 2)).toBe(true);
  },
};
type Consistency = { bySide: { majority: number; minority: number }; staleReads: number; afterHeal?: { conflicts: number; lostWrites: number } };
/**
 * Presets whose lesson is a measurement: what the summary must show. The CAP pair: the CP
 * store refuses on the minority side and reads nothing stale; the AP store answers on both
 * sides and reads stale (the majority's share leaves room for an election when the leader
 * was cut off, slower on a loaded machine).
 */
const MEASURED: Record<string, (summary: any) => void> = {
  'cap-cp-raft.yaml': (s) => {
    const c = s.measurements.consistency as Consistency;
    expect(c.bySide.minority).toBeLessThan(0.1);
    expect(c.bySide.majority).toBeGreaterThan(0.5);
    expect(c.staleReads).toBe(0);
    expect(c.afterHeal?.conflicts).toBe(0);
  },
  'cap-ap-quorum.yaml': (s) => {
    const c = s.measurements.consistency as Consistency;
    expect(c.bySide.minority).toBeGreaterThan(0.9);
    expect(c.bySide.majority).toBeGreaterThan(0.9);
    expect(c.staleReads).toBeGreaterThan(0);
    expect(c.afterHeal).toBeDefined();
  },
  // The same join: the ring moves about K/6 of the keys, modulo nearly all of them (K: the
  // keys written before the join, fewer when a busy machine starts the nodes late).
  'sharded-kv-ring-join.yaml': (s) => {
    const [join] = s.measurements.sharding.changes;
    expect(join.moved).toBeLessThanOrEqual(join.keys / 3);
  },
  'sharded-kv-modulo-join.yaml': (s) => {
    const [join] = s.measurements.sharding.changes;
    expect(join.moved).toBeGreaterThanOrEqual(join.keys * 0.6);
  },
};
const presets = readdirSync(path.join(repoRoot, 'resources/experiments')).filter((f) => f.endsWith('.yaml'));

/** Presets of many nodes start alone: twenty node processes starting beside other runs can miss the init timeout on two cores. */
const MANY_NODES = 10;
const nodeCount = (file: string) => Number((parse(readFileSync(path.join(repoRoot, 'resources/experiments', file), 'utf8')) as { nodes?: { count?: number } }).nodes?.count ?? 1);
const crowded = presets.filter((f) => nodeCount(f) >= MANY_NODES);
const light = presets.filter((f) => nodeCount(f) < MANY_NODES);

async function runPreset(file: string): Promise<void> {
  const started = Date.now();
  const out = await runCliAsync(['run', path.join(repoRoot, 'resources/experiments', file), '--db', path.join(tempDir(), 'runs.db'), '--json'], { timeoutMs: 40_000 });
  expect(Date.now() - started).toBeLessThan(30_000);
  const summary = lastJsonLine(out.stdout);
  expect(summary.status).toBe('completed');
  expect(summary.problems).toEqual([]);
  const invalid = Object.entries(summary.checks as Record<string, { valid: boolean }>).filter(([name, c]) => !c.valid && !MAY_BE_INVALID[file]?.includes(name)).map(([name]) => name).sort();
  expect(invalid).toEqual(EXPECTED_INVALID[file] ?? []);
  const anyInvalid = Object.values(summary.checks as Record<string, { valid: boolean }>).some((c) => !c.valid);
  expect(out.code).toBe(anyInvalid ? 1 : 0);
  FINDINGS[file]?.(summary.checks);
  MEASURED[file]?.(summary);
}

describe('the shipped presets', () => {
  it.concurrent.each(light)('%s runs to completion with the expected checks', runPreset, 45_000);
  it.each(crowded)('%s (many nodes, alone) runs to completion with the expected checks', runPreset, 45_000);
});
