// How faults appear on every time chart. Network-wide faults (a partition or cut until the
// heal, a changed link until the next change) are shaded bands; faults that act on one node
// (kill, stop, pause, restart, resume) are a thin marker at their instant, because they do
// not change what the other nodes' lines mean. Each label sits at its fault's time; labels
// that would overlap stack in rows, and past the last row they fold into a count.
import type { FaultPoint } from '../../../../core/api/contract.js';
import { describeFault } from '../faults/describe-fault.js';
import { faultNodes } from './derive/down-periods.js';

export type FaultSource = 'scheduled' | 'injected by hand';

export interface NetworkBand {
  fromS: number;
  toS: number;
  label: string;
  source: FaultSource;
}

export interface NodeMark {
  s: number;
  label: string;
  source: FaultSource;
  /** A kill, stop or pause; false for restart and resume. */
  down: boolean;
}

export interface PlacedLabel {
  s: number;
  text: string;
  /** 0 for the top row. */
  row: number;
}

const NETWORK = new Set(['partition', 'partition-pattern', 'cut']);
const NODE = new Set(['kill', 'stop', 'pause', 'restart', 'resume']);
const DOWN = new Set(['kill', 'stop', 'pause']);

export const sourceOf = (f: FaultPoint): FaultSource => (f[3] === 'live' ? 'injected by hand' : 'scheduled');

/** Partitions and cuts until the heal that ends them; each link change until the next one. */
export function networkBands(faults: readonly FaultPoint[], untilMs: number): NetworkBand[] {
  const bands: NetworkBand[] = [];
  let partition: { f: FaultPoint; label: string } | null = null;
  let link: FaultPoint | null = null;
  const end = (f: FaultPoint, label: string, toMs: number) => bands.push({ fromS: f[0] / 1000, toS: toMs / 1000, label, source: sourceOf(f) });
  for (const f of faults) {
    const kind = f[1];
    if (NETWORK.has(kind)) {
      // A partition replaces the one in force.
      if (partition) end(partition.f, partition.label, f[0]);
      const d = (f[2] ?? {}) as { pattern?: string };
      partition = { f, label: kind === 'cut' ? describeFault(f) : `partition${d.pattern ? ` (${d.pattern})` : ''}` };
    } else if (kind === 'heal' && partition) {
      end(partition.f, partition.label, f[0]);
      partition = null;
    } else if (kind === 'change-link') {
      if (link) end(link, describeFault(link), f[0]);
      link = f;
    }
  }
  if (partition) end(partition.f, partition.label, untilMs);
  if (link) end(link, describeFault(link), untilMs);
  return bands.sort((a, b) => a.fromS - b.fromS);
}

/** Faults on single nodes, as instants. */
export function nodeMarks(faults: readonly FaultPoint[]): NodeMark[] {
  return faults.filter((f) => NODE.has(f[1])).map((f) => ({ s: f[0] / 1000, label: describeFault(f), source: sourceOf(f), down: DOWN.has(f[1]) }));
}

/** A node down by a fault: from a kill, stop or pause to the restart or resume that ends it. */
export interface NodeSpan {
  node: string;
  fromS: number;
  toS: number;
  /** "kill n1". */
  label: string;
  source: FaultSource;
}

/** Where each node was down by a fault, for shading that node's own lane (open spans run to `untilMs`). */
export function nodeSpans(faults: readonly FaultPoint[], untilMs: number): NodeSpan[] {
  const spans: NodeSpan[] = [];
  const open = new Map<string, { f: FaultPoint; node: string }>();
  const end = (o: { f: FaultPoint; node: string }, toMs: number) => spans.push({ node: o.node, fromS: o.f[0] / 1000, toS: Math.max(o.f[0], toMs) / 1000, label: `${o.f[1]} ${o.node}`, source: sourceOf(o.f) });
  for (const f of faults) {
    if (!NODE.has(f[1])) continue;
    for (const node of faultNodes(f[2])) {
      const since = open.get(node);
      if (DOWN.has(f[1])) {
        if (!since) open.set(node, { f, node });
      } else if (since) {
        end(since, f[0]);
        open.delete(node);
      }
    }
  }
  for (const o of open.values()) end(o, untilMs);
  return spans.sort((a, b) => a.fromS - b.fromS);
}

/** What a run-long view shades: network faults across every lane, node faults on their own. */
export interface FaultShading {
  network: NetworkBand[];
  nodes: NodeSpan[];
}

export function faultShading(faults: readonly FaultPoint[], untilMs: number): FaultShading {
  return { network: networkBands(faults, untilMs), nodes: nodeSpans(faults, untilMs) };
}

const CHAR_PX = 5.6;
const GAP_PX = 6;

/**
 * Rows for labels anchored at their times so that none overlaps another: each goes in the
 * first row where the previous label has ended, given `pxPerS`. A label that finds no row
 * is left out and counted on the last label placed before it ("kill n2 +2").
 */
export function placeLabels(items: ReadonlyArray<{ s: number; text: string }>, pxPerS: number, rows = 3): PlacedLabel[] {
  const rowEnds: number[] = Array.from({ length: rows }, () => -Infinity);
  const placed: PlacedLabel[] = [];
  const folded = new Map<PlacedLabel, number>();
  for (const item of [...items].sort((a, b) => a.s - b.s)) {
    const x = item.s * pxPerS;
    const row = rowEnds.findIndex((endPx) => endPx + GAP_PX <= x);
    if (row < 0) {
      const last = placed[placed.length - 1];
      if (last) folded.set(last, (folded.get(last) ?? 0) + 1);
      continue;
    }
    const label: PlacedLabel = { s: item.s, text: item.text, row };
    rowEnds[row] = x + item.text.length * CHAR_PX;
    placed.push(label);
  }
  for (const [label, more] of folded) label.text += ` +${more}`;
  return placed;
}
