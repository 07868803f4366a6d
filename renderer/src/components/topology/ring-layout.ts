// Where each node sits on the topology's ring, and which links are cut or busy.
import type { MessagePoint } from '../../../../core/api/contract.js';

export interface Point {
  x: number;
  y: number;
}

/** Nodes evenly on a circle, the first at the top, going clockwise. */
export function ringPositions(ids: string[], cx: number, cy: number, r: number): Map<string, Point> {
  const out = new Map<string, Point>();
  ids.forEach((id, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, ids.length);
    out.set(id, { x: cx + r * Math.cos(angle), y: cy + r * Math.sin(angle) });
  });
  return out;
}

export interface CutLink {
  a: string;
  b: string;
  /** both: a partition; otherwise the one blocked direction. */
  direction: 'both' | 'a->b' | 'b->a';
}

/** Blocked directed pairs between nodes, folded into undirected links. */
export function cutLinks(blocked: Array<[string, string]>, nodes: Set<string>): CutLink[] {
  const directed = new Set(blocked.filter(([s, d]) => nodes.has(s) && nodes.has(d)).map(([s, d]) => `${s}\u0000${d}`));
  const out: CutLink[] = [];
  const seen = new Set<string>();
  for (const key of directed) {
    const [s, d] = key.split('\u0000');
    const [a, b] = s < d ? [s, d] : [d, s];
    const pair = `${a}\u0000${b}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    const ab = directed.has(`${a}\u0000${b}`);
    const ba = directed.has(`${b}\u0000${a}`);
    out.push({ a, b, direction: ab && ba ? 'both' : ab ? 'a->b' : 'b->a' });
  }
  return out;
}

const ORDER_SLACK_MS = 2000;

export interface LinkActivity {
  a: string;
  b: string;
  /** Messages either way in the window. */
  count: number;
  /** Of them lost or partitioned. */
  dropped: number;
}

/**
 * Traffic per undirected node pair among the messages sent in the last `windowMs` before
 * `untilMs`. Messages come roughly in send order (recorded when their fate is known), so
 * only the tail is read, with some slack for slow deliveries.
 */
export function linkActivity(messages: MessagePoint[], untilMs: number, windowMs: number, nodes: Set<string>): LinkActivity[] {
  const byPair = new Map<string, LinkActivity>();
  const since = untilMs - windowMs;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m[4] < since - ORDER_SLACK_MS) break;
    if (m[4] < since || m[4] > untilMs) continue;
    const [src, dest] = [m[1], m[2]];
    if (!nodes.has(src) || !nodes.has(dest) || src === dest) continue;
    const [a, b] = src < dest ? [src, dest] : [dest, src];
    const key = `${a}\u0000${b}`;
    let act = byPair.get(key);
    if (!act) {
      act = { a, b, count: 0, dropped: 0 };
      byPair.set(key, act);
    }
    act.count++;
    if (m[6] === 'lost' || m[6] === 'partitioned') act.dropped++;
  }
  return [...byPair.values()];
}
