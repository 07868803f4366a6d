// Where each node sits on the topology's ring, and which links are cut or busy.
import type { MessagePoint } from '../../../../core/api/contract.js';
import { TailReader } from '../run/tail-reader.js';

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

export interface LinkActivity {
  a: string;
  b: string;
  /** Messages either way in the window. */
  count: number;
  /** Of them lost or partitioned. */
  dropped: number;
}

interface Recent {
  sendMs: number;
  key: string;
  dropped: boolean;
}

/**
 * Traffic per undirected node pair among the messages sent in the last `windowMs`. Kept
 * up to date from the messages that arrive, so each update costs only the new ones: a
 * busy run streams thousands of sampled messages a second.
 */
export class LinkActivityTracker {
  private readonly reader = new TailReader<MessagePoint>();
  private recent: Recent[] = [];
  private head = 0;
  private pairs = new Map<string, LinkActivity>();

  constructor(private readonly windowMs: number) {}

  update(messages: MessagePoint[], untilMs: number, nodes: ReadonlySet<string>): LinkActivity[] {
    if (this.reader.isNew(messages)) {
      this.recent = [];
      this.head = 0;
      this.pairs = new Map();
    }
    const since = untilMs - this.windowMs;
    this.reader.read(messages, (m) => {
      const [, src, dest, , sendMs, , fate] = m;
      if (sendMs < since || src === dest || !nodes.has(src) || !nodes.has(dest)) return;
      const [a, b] = src < dest ? [src, dest] : [dest, src];
      const key = `${a}\u0000${b}`;
      const dropped = fate === 'lost' || fate === 'partitioned';
      let pair = this.pairs.get(key);
      if (!pair) this.pairs.set(key, (pair = { a, b, count: 0, dropped: 0 }));
      pair.count++;
      if (dropped) pair.dropped++;
      this.recent.push({ sendMs, key, dropped });
    });
    // Messages arrive in about send order (each when its fate is known): drop from the front.
    while (this.head < this.recent.length && this.recent[this.head].sendMs < since) {
      const old = this.recent[this.head++];
      const pair = this.pairs.get(old.key)!;
      pair.count--;
      if (old.dropped) pair.dropped--;
      if (pair.count === 0) this.pairs.delete(old.key);
    }
    if (this.head > 4096 && this.head * 2 > this.recent.length) {
      this.recent = this.recent.slice(this.head);
      this.head = 0;
    }
    return [...this.pairs.values()].map((p) => ({ ...p }));
  }
}
