import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NodeWaits } from '../../core/engine/node-waits.js';

describe('NodeWaits: what bring-up waits for from each node', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('ends a wait once: answered, failed or timed out', async () => {
    const waits = new NodeWaits();
    const onTimeout = vi.fn();
    const answered = waits.wait(1, 1000, onTimeout);
    const failed = waits.wait(2, 1000, onTimeout);
    const silent = waits.wait(3, 1000, onTimeout);
    expect(waits.settle(1, true)).toBe(true);
    expect(waits.settle(2, false)).toBe(true);
    expect(waits.settle(1, false)).toBe(false);
    vi.advanceTimersByTime(1000);
    await expect(answered).resolves.toBe(true);
    await expect(failed).resolves.toBe(false);
    await expect(silent).resolves.toBe(false);
    expect(onTimeout).toHaveBeenCalledTimes(1);
    expect(waits.has(3)).toBe(false);
  });

  // The run that never ended: a node killed after it connected but before bring-up sent its
  // init, restarted while bring-up still waited. The restart's wait replaced bring-up's, whose
  // timer then found nothing to end, and bring-up (and the run) waited forever.
  it('ends a wait that a newer wait for the same node replaces, and leaves the newer one alone', async () => {
    const waits = new NodeWaits();
    const first = waits.wait(7, 10_000, () => {});
    const restart = waits.wait(7, 10_000, () => {});
    await expect(first).resolves.toBe(false);
    expect(waits.settle(7, true)).toBe(true);
    await expect(restart).resolves.toBe(true);
    // The first wait's timer, had it not been cleared, must not touch a later wait.
    const third = waits.wait(7, 10_000, () => {});
    vi.advanceTimersByTime(9_999);
    expect(waits.has(7)).toBe(true);
    vi.advanceTimersByTime(1);
    await expect(third).resolves.toBe(false);
  });
});
