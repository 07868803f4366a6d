import { describe, expect, it } from 'vitest';
import type { MessagePoint, TrafficBucket } from '../../core/api/contract.js';
import { LEGIBLE_ARROWS, legibleWindowMs, TypePalette, typesInView } from '../../renderer/src/components/charts/space-time/message-types.js';
import { WindowData } from '../../renderer/src/components/charts/space-time/window-data.js';

const msg = (id: number, type: string, send: number): MessagePoint => [id, 'n1', 'n2', type, send, send + 1, 'delivered', null, null, null];

describe('message types on the space-time diagram', () => {
  it('lists the types in view, most frequent first, each with its own colour', () => {
    const palette = new TypePalette();
    const types = typesInView([msg(1, 'append_entries', 1), msg(2, 'vote', 2), msg(3, 'append_entries', 3)], palette);
    expect(types.map((t) => [t.type, t.count])).toEqual([['append_entries', 2], ['vote', 1]]);
    expect(types[0].color).not.toBe(types[1].color);
    expect(palette.color('vote')).toBe(types[1].color);
  });

  it('picks a default window holding about 150 arrows at the run’s pace', () => {
    // 1,070 messages in 2 s of a 5-node Raft run: 0.535 per ms, so about 280 ms.
    const traffic: TrafficBucket[] = Array.from({ length: 20 }, (_, i) => [i * 100, 53.5, 53.5, 0]);
    const choices = [50, 100, 250, 500, 1000, 2000];
    expect(legibleWindowMs(traffic, choices)).toBe(250);
    expect(LEGIBLE_ARROWS).toBe(150);
    expect(legibleWindowMs([], choices)).toBeNull();
  });

  it('hides a type from the window altogether, keeping the full counts for the legend', () => {
    const data = new WindowData();
    const source = [msg(1, 'heartbeat', 10), msg(2, 'append', 20), msg(3, 'heartbeat', 30)];
    const cut = data.cut(source, 1, 0, 100, false, new Set(['heartbeat']));
    expect(cut.messages.map((m) => m[0])).toEqual([2]);
    expect(cut.all.map((m) => m[0])).toEqual([1, 2, 3]);
    expect(cut.index.get(2)).toBe(0);
  });
});
