import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJsonLine, runCli, runExperiment, tempDir } from './helpers.js';
import { acceptedPerWindow, type ThrottleOp } from '../../core/analysis/throttle.js';

const LIMIT = 20;
const BURST = 5;

/** One limiter node at LIMIT/s, six closed-loop clients asking for 3× that. */
const overload = (retry: Record<string, unknown>) => ({
  name: `throttle-${String(retry.retry)}`,
  seed: 3,
  duration: '3s',
  nodes: { count: 1, program: 'rate-limited-service', params: { rate: LIMIT, burst: BURST, serviceTime: '2ms' } },
  workload: { kind: 'requests', rate: 3 * LIMIT, clients: 6, timeout: '1s', ...retry },
});

describe.concurrent('rate-limited-service on real processes', () => {
  it('at 3× the limit the accepted rate stays within the limit (+ burst); rejections are recorded; backoff offers far fewer retries than immediate retries', async () => {
    const storm = await runExperiment(overload({ retry: 'immediate', attempts: 5 }));
    const accepted = storm.db.prepare("select t_invoke_us as invokeUs from operations where run_id = ? and op = 'request' and outcome = 'ok'").all(storm.run.runId) as ThrottleOp[];
    // Each whole second: at most the rate, plus the burst the bucket held (+1 for the client's and node's clocks differing by a hair).
    for (const count of acceptedPerWindow(accepted, 3000)) expect(count).toBeLessThanOrEqual(LIMIT + BURST + 1);
    const rejected = storm.db.prepare("select count(*) from operations where run_id = ? and outcome = 'fail' and json_extract(detail_json, '$.code') = 11").pluck().get(storm.run.runId) as number;
    expect(rejected).toBeGreaterThan(50);
    const stormThrottle = storm.summary.measurements!.throttle!;
    expect(stormThrottle.limitPerSec).toBe(LIMIT);
    expect(stormThrottle.retries).toBeGreaterThan(0);

    const backoff = await runExperiment(overload({ retry: 'backoff', attempts: 5, backoff: { base: '100ms', max: '1s' } }));
    const settled = backoff.summary.measurements!.throttle!;
    expect(settled.offeredPerSec).toBeLessThan(stormThrottle.offeredPerSec / 2);
    expect(settled.acceptedPerSec).toBeGreaterThan(0);
  });

  it('distributed: parted into halves, each side spends the whole global limit, and the overshoot says so', async () => {
    const { summary } = await runExperiment({
      name: 'throttle-distributed',
      seed: 4,
      // Long enough for a whole partitioned second even when a busy machine starts the nodes late.
      duration: '5s',
      nodes: { count: 4, program: 'rate-limited-service', params: { rate: LIMIT, burst: BURST, distributed: true, gossip: '50ms', serviceTime: '2ms' } },
      faults: [{ at: '1s', partition: [['n1', 'n2'], ['n3', 'n4']] }],
      workload: { kind: 'requests', rate: 3 * LIMIT, clients: 6, timeout: '1s', loop: 'open' },
    });
    const throttle = summary.measurements!.throttle!;
    expect(throttle.limitPerSec).toBe(LIMIT);
    // About 2 (each half admits the whole limit); a loaded machine sends less than asked, so a margin.
    expect(throttle.overshoot).toBeGreaterThan(1.3);
  });

  it('simulated (mode: simulate), backoff waits in virtual time and the limit holds the same', () => {
    const dir = tempDir();
    const file = path.join(dir, 'sim.yaml');
    writeFileSync(
      file,
      `name: throttle-sim\nmode: simulate\nseed: 2\nduration: 5s\nnodes: { count: 1, program: rate-limited-service, params: { rate: ${LIMIT}, burst: ${BURST} } }\n` +
        `workload: { kind: requests, rate: ${3 * LIMIT}, clients: 6, timeout: 1s, retry: backoff, attempts: 5, backoff: { base: 100ms, max: 1s } }\n`,
    );
    const out = runCli(['run', file, '--db', path.join(dir, 'runs.db'), '--json']);
    const throttle = lastJsonLine(out.stdout).measurements.throttle;
    // At most the rate plus the burst in any second; nothing starts late in virtual time, so the mean is near the limit.
    expect(throttle.peakAcceptedPerSec).toBeLessThanOrEqual(LIMIT + BURST);
    expect(throttle.acceptedPerSec).toBeGreaterThan(LIMIT * 0.8);
    expect(throttle.retries).toBeGreaterThan(0);
  });
});
