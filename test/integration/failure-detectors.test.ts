import { describe, it, expect } from 'vitest';
import { count, runExperiment } from './helpers.js';

const detectorRun = (program: string, params: Record<string, unknown> = {}) => ({
  name: `fd-${program}`,
  seed: 4,
  duration: '3s',
  nodes: { count: 4, program, params },
  network: { latency: { distribution: 'uniform', mean: '3ms', jitter: '2ms' } },
  faults: [{ at: '1500ms', kill: 'n3' }],
});

/** Scheduling noise on a busy 2-core machine, on top of each protocol's own bound. */
const SLACK_MS = 80;
const DELAY_MS = 5;

describe('failure detectors on real processes', () => {
  it('heartbeat: suspects a killed node within timeout + interval + delay, and reports suspicion levels', async () => {
    const { summary, db, run } = await runExperiment(detectorRun('heartbeat', { interval: 100, timeout: 300 }));
    const [detection] = summary.measurements!.detection!.detections;
    expect(detection).toMatchObject({ node: 'n3', cause: 'kill', detectors: 3, of: 3 });
    // The last heartbeat left at most one interval before the kill; suspicion follows `timeout` after it.
    expect(detection.firstMs!).toBeGreaterThanOrEqual(300 - 100 - SLACK_MS);
    expect(detection.lastMs!).toBeLessThanOrEqual(300 + 20 + DELAY_MS + SLACK_MS);
    expect(summary.measurements!.detection!.mistakes.count).toBe(0);
    expect(count(db, "select count(*) from events where run_id = ? and kind = 'heartbeat'", run.runId)).toBeGreaterThan(100);
    const levels = db.prepare("select value from metrics where run_id = ? and node = 'n1' and name = 'suspicion.n3' order by t_us").pluck().all(run.runId) as number[];
    expect(Math.max(...levels)).toBeGreaterThan(1);
    expect(summary.measurements!.messagesPerNodePerSec).toBeGreaterThan(20);
  });

  it('phi accrual: φ crosses the threshold soon after a kill', async () => {
    const { summary, db, run } = await runExperiment(detectorRun('phi-accrual', { interval: 100, threshold: 8, minStdDev: 20 }));
    const [detection] = summary.measurements!.detection!.detections;
    expect(detection.detectors).toBe(3);
    // φ = 8 is reached about interval + 5.2·minStdDev after the last heartbeat.
    expect(detection.lastMs!).toBeLessThanOrEqual(100 + 5.3 * 20 + 20 + DELAY_MS + SLACK_MS);
    const phi = db.prepare("select max(value) from metrics where run_id = ? and name = 'suspicion.n3'").pluck().get(run.runId) as number;
    expect(phi).toBeGreaterThan(8);
  });

  it('swim: every live member suspects the crashed one within a few protocol periods', async () => {
    const { summary } = await runExperiment(detectorRun('swim', { period: 100, pingTimeout: 40, suspicionTimeout: 500 }));
    const [detection] = summary.measurements!.detection!.detections;
    expect(detection.detectors).toBe(3);
    // Round-robin probing reaches the crashed member within n−1 periods; gossip spreads it.
    expect(detection.lastMs!).toBeLessThanOrEqual(2 * 3 * 100 + SLACK_MS);
    expect(summary.measurements!.detection!.mistakes.count).toBe(0);
  });
});
