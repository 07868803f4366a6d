import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MessagePoint } from '../../core/api/contract.js';
import { WindowLoader } from '../../renderer/src/components/charts/space-time/window-loader.js';

const msg = (id: number, send: number): MessagePoint => [id, 'n1', 'n2', 'x', send, send + 5, 'delivered', id];

describe('loading the viewed window from the recording', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks once for a span three windows wide, after scrolling settles, and serves small moves from it', async () => {
    const fetch = vi.fn(async (_run: number, from: number, to: number) => [msg(10, from + 1), msg(11, to - 1)]);
    const changed = vi.fn();
    const loader = new WindowLoader(fetch, changed);
    expect(loader.view(1, 1000, 2000, 10_000, false)).toBeNull();
    expect(loader.view(1, 1000, 2000, 10_000, false)).toBeNull();
    await vi.advanceTimersByTimeAsync(200);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(1, 0, 3000, 10_000);
    expect(changed).toHaveBeenCalledTimes(1);
    const loaded = loader.view(1, 1200, 2200, 10_000, false)!;
    expect(loaded.messages.map((m) => m[0])).toEqual([10, 11]);
    await vi.advanceTimersByTimeAsync(200);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('asks nothing while held (a dragged replay cursor), drops a question not yet sent, and asks again once viewed', async () => {
    const fetch = vi.fn(async (_run: number, from: number, to: number) => [msg(10, from + 1), msg(11, to - 1)]);
    const loader = new WindowLoader(fetch, () => {}, 0.5);
    loader.view(1, 1000, 2000, 10_000, false);
    expect(loader.held(1)).toBeNull();
    await vi.advanceTimersByTimeAsync(200);
    expect(fetch).not.toHaveBeenCalled();
    loader.view(1, 5000, 6000, 10_000, false);
    await vi.advanceTimersByTimeAsync(200);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(1, 4500, 6500, 10_000);
    expect(loader.held(1)?.fromMs).toBe(4500);
    expect(loader.held(2)).toBeNull();
  });

  it('tells a sample (one in n) from the whole window by the ids it got', async () => {
    const loader = new WindowLoader(async () => [msg(100, 1), msg(103, 2), msg(106, 3)], () => {});
    loader.view(1, 0, 10, 100, false);
    await vi.advanceTimersByTimeAsync(200);
    expect(loader.view(1, 0, 10, 100, false)?.stride).toBe(3);
  });

  it('reports a failure and waits before asking again', async () => {
    const fetch = vi.fn(async () => {
      throw new Error('the connection to the Distlab server closed');
    });
    const loader = new WindowLoader(fetch, () => {});
    loader.view(1, 0, 10, 100, false);
    await vi.advanceTimersByTimeAsync(200);
    expect(loader.error).toMatch(/connection/);
    loader.view(1, 0, 10, 100, false);
    await vi.advanceTimersByTimeAsync(200);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
