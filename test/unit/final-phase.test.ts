import { describe, expect, it } from 'vitest';
import { finalPhaseBoundMs, runFinalPhase } from '../../core/engine/final-phase.js';
import type { ManagedNode } from '../../core/engine/node-process.js';
import type { FaultAction } from '../../core/experiment/types.js';
import type { Workload } from '../../core/workloads/workload.js';
import { newStats } from '../../core/workloads/workload.js';
import { FINAL_READ_ATTEMPTS } from '../../core/workloads/final-reads.js';

const fakeNodes = (states: Record<string, ManagedNode['state']>) => new Map(Object.entries(states).map(([id, state]) => [id, { id, state } as ManagedNode]));

function fakeWorkload(read: (nodes: readonly string[]) => Promise<void>): Workload {
  return { stats: newStats(), outstanding: 0, start() {}, stopIssuing() {}, abandon() {}, onReply() {}, onRequestCorrupted() {}, finalReads: read };
}

describe('the final phase', () => {
  it('heals, resumes paused nodes, waits the quiet period, then reads every live node and not the dead', async () => {
    const nodes = fakeNodes({ n1: 'up', n2: 'paused', n3: 'exited' });
    const applied: FaultAction[] = [];
    const read: string[][] = [];
    const t0 = Date.now();
    let readAtMs = 0;
    const result = await runFinalPhase({ quietMs: 50, readTimeoutMs: 1000 }, {
      workload: fakeWorkload(async (ns) => {
        readAtMs = Date.now() - t0;
        read.push([...ns]);
      }),
      nodes,
      apply: (action) => {
        applied.push(action);
        if (action.kind === 'resume') for (const id of action.nodes) nodes.get(id)!.state = 'up';
      },
      notice: () => {},
      event: () => {},
      signal: new AbortController().signal,
    });
    expect(applied).toEqual([{ kind: 'heal' }, { kind: 'resume', nodes: ['n2'] }]);
    expect(read).toEqual([['n1', 'n2']]);
    expect(readAtMs).toBeGreaterThanOrEqual(45);
    expect(result).toEqual({ quietMs: 50, readNodes: ['n1', 'n2'], down: ['n3'], interrupted: false });
    // The quiet period, then every attempt at a final read timing out.
    expect(finalPhaseBoundMs({ quietMs: 50, readTimeoutMs: 1000 })).toBe(50 + FINAL_READ_ATTEMPTS * 1000);
  });

  it('stops waiting when the run is stopped, and reads nothing', async () => {
    const abort = new AbortController();
    let reads = 0;
    const phase = runFinalPhase({ quietMs: 10_000, readTimeoutMs: 1000 }, {
      workload: fakeWorkload(async () => void reads++),
      nodes: fakeNodes({ n1: 'up' }),
      apply: () => {},
      notice: () => {},
      event: () => {},
      signal: abort.signal,
    });
    abort.abort();
    expect(await phase).toMatchObject({ interrupted: true, readNodes: [] });
    expect(reads).toBe(0);
  });
});
