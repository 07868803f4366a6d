// Does the network do what it was told? Delays measured on delivered messages against
// the configured distribution, and how late the scheduler let messages leave.
import Database from 'better-sqlite3';
import type { LatencyModel } from '../core/experiment/types.js';
import { sampleLatencyMs } from '../core/engine/latency.js';
import { createRng } from '../core/engine/prng.js';
import { newRun, sortedQuantile, tempDbPath } from './support.js';

const QUANTILES = [0.5, 0.9, 0.99] as const;

export interface FidelityResult {
  messages: number;
  configuredMs: number[];
  measuredMs: number[];
  latenessUs: { p50: number; p99: number; max: number };
}

export async function deliveryFidelity(): Promise<FidelityResult> {
  const model: LatencyModel = { distribution: 'normal', meanMs: 5, jitterMs: 2 };
  const dbPath = tempDbPath();
  const run = newRun({
    name: 'bench-fidelity',
    seed: 1,
    duration: '6s',
    nodes: { count: 4, program: 'ping', params: { interval: 10 } },
    network: { latency: { distribution: 'normal', mean: '5ms', jitter: '2ms' } },
  }, dbPath);
  const summary = await run.execute();
  const db = new Database(dbPath, { readonly: true });
  const measured = Float64Array.from(db.prepare("select (t_deliver_us - t_send_us) / 1000.0 from messages where run_id = ? and fate = 'delivered'").pluck().all(summary.runId) as number[]).sort();
  db.close();
  const rng = createRng(99, 'fidelity-reference');
  const configured = Float64Array.from({ length: 200_000 }, () => sampleLatencyMs(model, rng)).sort();
  const lateness = summary.deliveryLatenessUs!;
  return {
    messages: measured.length,
    configuredMs: QUANTILES.map((q) => sortedQuantile(configured, q)),
    measuredMs: QUANTILES.map((q) => sortedQuantile(measured, q)),
    latenessUs: { p50: lateness.p50, p99: lateness.p99, max: lateness.max },
  };
}
