// Draws one frame of the space-time diagram on a canvas: lanes, fault bands, the time axis,
// message arrows, send and receive dots, and the overview strip. Arrows are grouped by
// style and each group is stroked as one path, so thousands of them stay cheap.
import type { MessagePoint, TrafficBucket } from '../../../../../core/api/contract.js';
import type { FaultShading } from '../fault-marks.js';
import { inFuture, inPast, messageSide, receiveId, sendId, type CausalCone, type CausalGraph } from '../derive/causality.js';
import { isClientId } from '../derive/node-order.js';
import { clockText, placeClockLabels, type ClockLabel, type ClockLabelMode } from './clock-labels.js';
import { foldDenseArrows, type ArrowFold } from './fold.js';
import { drawAxis, drawBands, drawLanes, drawOverview } from './frame-parts.js';
import { xOf, type Layout } from './geometry.js';
import type { Palette } from './palette.js';

export interface Frame {
  layout: Layout;
  palette: Palette;
  /** The messages in the window; event ids (2i send, 2i + 1 receive) index into it. */
  messages: readonly MessagePoint[];
  /** Fault bands and each node's time down (fault-marks.ts). */
  faults: FaultShading;
  /** Where a lost message would have got to: half of this after its send. */
  nominalFlightMs: number;
  highlight: { graph: CausalGraph; cone: CausalCone } | null;
  hovered: number | null;
  selectedNode: string | null;
  /** The run so far, for the overview strip and the live edge. */
  runMs: number;
  live: boolean;
  traffic: readonly TrafficBucket[];
  /** Thin lines and square dots, cheap to paint: many messages, or following a busy run. */
  dense?: boolean;
  /** The colour of a delivered message of this type (a lost or dropped one keeps its fate's colour). */
  typeColor?: (type: string) => string;
  /** Ids of messages a search found: drawn over the rest, the focused one ringed. */
  found?: ReadonlySet<number>;
  focused?: number | null;
  /** The messages are a sample of those in view: a fold would count the sample, so none is made. */
  sampled?: boolean;
  /** Write each send's clock beside its dot, when they all fit. */
  clockLabels?: ClockLabelMode;
}

/** The dots drawn, for hit testing: positions in CSS pixels and their event ids. */
export interface Targets {
  xs: Float32Array;
  ys: Float32Array;
  events: Int32Array;
  count: number;
  /** Whether the clock labels asked for were written, or need the view zoomed in. */
  clockLabels: 'off' | 'drawn' | 'zoom-in';
  /** Bands of folded arrows drawn, and the arrows they hold. */
  folds: number;
  foldedArrows: number;
}

type ArrowStyle = 'delivered' | 'duplicated' | 'corrupted' | 'lost' | 'partitioned' | 'dropped' | 'past' | 'future' | 'self';

interface Stroke {
  color: string;
  width: number;
  dash: number[];
  alpha: number;
}

/** Above this many messages in view, dots become squares and arrows lose their heads. */
const DENSE = 2500;
const UNDELIVERED = new Set(['lost', 'partitioned', 'overflow', 'undeliverable', 'in-flight-at-end']);

/** How an arrow is drawn: by its fate, and a delivered extra copy stands out as a duplicate. */
export function fateStyle(fate: string, dupOf: number | null = null): ArrowStyle {
  if (fate === 'corrupted' || fate === 'lost' || fate === 'partitioned') return fate;
  if (fate === 'overflow' || fate === 'undeliverable' || fate === 'in-flight-at-end') return 'dropped';
  return dupOf !== null ? 'duplicated' : 'delivered';
}

function strokes(p: Palette, dense: boolean): Record<ArrowStyle, Stroke> {
  // Lit arrows stand out by colour; when they are many, thick ones would merge into a block.
  const lit = dense ? 1.2 : 2.2;
  return {
    // Many ordinary arrows fade back so the lost, duplicated and corrupted ones stand out.
    delivered: { color: p.dim, width: 1, dash: [], alpha: dense ? 0.4 : 0.75 },
    duplicated: { color: p.duplicated, width: 1.4, dash: [], alpha: 0.95 },
    corrupted: { color: p.corrupted, width: 1.4, dash: [], alpha: 0.95 },
    lost: { color: p.lost, width: 1.4, dash: [], alpha: 0.95 },
    partitioned: { color: p.partitioned, width: 1.4, dash: [5, 3], alpha: 0.95 },
    dropped: { color: p.dim, width: 1.2, dash: [2, 3], alpha: 0.9 },
    past: { color: p.past, width: lit, dash: [], alpha: 1 },
    future: { color: p.future, width: lit, dash: [], alpha: 1 },
    self: { color: p.text, width: 2.6, dash: [], alpha: 1 },
  };
}

export function drawFrame(ctx: CanvasRenderingContext2D, f: Frame): Targets {
  const { layout: L, palette: p } = f;
  ctx.fillStyle = p.panel;
  ctx.fillRect(0, 0, L.width, L.height);
  drawBands(ctx, f);
  drawLanes(ctx, f);
  drawAxis(ctx, f);
  const targets = drawMessages(ctx, f);
  drawOverview(ctx, f);
  if (f.live && f.runMs >= L.fromMs && f.runMs <= L.toMs) {
    const x = xOf(L, f.runMs);
    ctx.save();
    ctx.strokeStyle = p.accent;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(x, L.top - 6);
    ctx.lineTo(x, L.bottom);
    ctx.stroke();
    ctx.restore();
  }
  return targets;
}

interface Buckets {
  lines: Record<ArrowStyle, number[]>;
  heads: Record<ArrowStyle, number[]>;
  crosses: Record<ArrowStyle, number[]>;
}

function emptyBuckets(): Buckets {
  const make = () => ({ delivered: [], duplicated: [], corrupted: [], lost: [], partitioned: [], dropped: [], past: [], future: [], self: [] }) as Record<ArrowStyle, number[]>;
  return { lines: make(), heads: make(), crosses: make() };
}

function drawMessages(ctx: CanvasRenderingContext2D, f: Frame): Targets {
  const { layout: L, palette: p, messages } = f;
  const dense = f.dense || messages.length > DENSE;
  const styles = strokes(p, dense);
  const dim = emptyBuckets();
  const lit = emptyBuckets();
  // Delivered arrows by the colour of their type, when types are coloured.
  const typed = new Map<string, { lines: number[]; heads: number[] }>();
  const cap = messages.length * 2;
  const targets: Targets = { xs: new Float32Array(cap), ys: new Float32Array(cap), events: new Int32Array(cap), count: 0, clockLabels: 'off', folds: 0, foldedArrows: 0 };
  const labelMode = f.clockLabels ?? 'none';
  const labels: ClockLabel[] = [];
  // Dots per kind: plain, in the past, in the future, at a client lane (hollow).
  const dots = { plain: [] as number[], past: [] as number[], future: [] as number[], concurrent: [] as number[], client: [] as number[] };
  const h = f.highlight;
  const minX = L.left - 4;
  const maxX = L.right + 4;
  // Hovering shows every arrow of the causal cone on its own; otherwise dense runs fold.
  const { folds, folded } = h || f.sampled
    ? { folds: [] as ArrowFold[], folded: null }
    : foldDenseArrows(messages, L, (i) => {
        const m = messages[i];
        if (m[1] === m[2] || m[5] === null || fateStyle(m[6], m[8] ?? null) !== 'delivered' || f.found?.has(m[0])) return false;
        if (!L.laneY.has(m[1]) || !L.laneY.has(m[2])) return false;
        return !(Math.max(xOf(L, m[4]), xOf(L, m[5])) < minX || Math.min(xOf(L, m[4]), xOf(L, m[5])) > maxX);
      });

  const addDot = (x: number, y: number, event: number, lane: string) => {
    if (x < minX || x > maxX) return;
    const i = targets.count++;
    targets.xs[i] = x;
    targets.ys[i] = y;
    targets.events[i] = event;
    let list = dots.plain;
    if (h && inPast(h.graph, h.cone, event)) list = dots.past;
    else if (h && inFuture(h.graph, h.cone, event)) list = dots.future;
    // Neither before nor after the hovered event: concurrent with it (its vector clock and theirs are incomparable).
    else if (h && event !== f.hovered) list = dots.concurrent;
    else if (isClientId(lane)) list = dots.client;
    list.push(x, y);
  };

  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const srcY = L.laneY.get(m[1]);
    const destY = L.laneY.get(m[2]);
    const x1 = xOf(L, m[4]);
    const delivered = m[5] !== null && !UNDELIVERED.has(m[6]);
    const x2 = delivered ? xOf(L, m[5] as number) : xOf(L, m[4] + f.nominalFlightMs / 2);
    if (srcY !== undefined && destY !== undefined && m[1] !== m[2] && !folded?.[i] && !(Math.max(x1, x2) < minX || Math.min(x1, x2) > maxX)) {
      let style = fateStyle(m[6], m[8] ?? null);
      let into = lit;
      if (h) {
        const side = messageSide(h.graph, h.cone, i);
        if (side) style = side;
        else into = dim;
      }
      const y2 = delivered ? destY : (srcY + destY) / 2;
      const byType = f.typeColor && style === 'delivered' && into === lit ? f.typeColor(m[3]) : null;
      if (byType) {
        let bucket = typed.get(byType);
        if (!bucket) typed.set(byType, (bucket = { lines: [], heads: [] }));
        bucket.lines.push(x1, srcY, x2, y2);
        if (!dense && Math.hypot(x2 - x1, y2 - srcY) > 14) bucket.heads.push(x1, srcY, x2, y2);
      } else {
        into.lines[style].push(x1, srcY, x2, y2);
        if (!delivered) into.crosses[style].push(x2, y2);
        else if (!dense && Math.hypot(x2 - x1, y2 - srcY) > 14) into.heads[style].push(x1, srcY, x2, y2);
      }
    }
    if (srcY !== undefined) {
      addDot(x1, srcY, sendId(i), m[1]);
      const text = labelMode === 'none' || x1 < L.left || x1 > L.right ? null : clockText(m, labelMode);
      if (text !== null) labels.push({ x: x1, y: srcY, text });
    }
    if (delivered && destY !== undefined) addDot(x2, destY, receiveId(i), m[2]);
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(L.left, L.top - 8, L.right - L.left + 6, L.bottom - L.top + 8);
  ctx.clip();
  if (h) strokeBuckets(ctx, dim, styles, 0.16, dense);
  for (const [color, bucket] of typed) {
    const coloured = emptyBuckets();
    coloured.lines.delivered = bucket.lines;
    coloured.heads.delivered = bucket.heads;
    strokeBuckets(ctx, coloured, { ...styles, delivered: { ...styles.delivered, color } }, 1, dense);
  }
  strokeBuckets(ctx, lit, styles, 1, dense);
  drawFolds(ctx, folds, f, L);
  targets.folds = folds.length;
  for (const fold of folds) targets.foldedArrows += fold.count;
  if (f.found?.size) drawFound(ctx, f, L);
  drawDots(ctx, dots, p, dense, h !== null);
  if (labelMode !== 'none') targets.clockLabels = drawClockLabels(ctx, labels, p, L) ? 'drawn' : 'zoom-in';
  if (f.hovered !== null) {
    for (let i = 0; i < targets.count; i++) {
      if (targets.events[i] !== f.hovered) continue;
      ctx.strokeStyle = p.text;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(targets.xs[i], targets.ys[i], 6, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
  ctx.restore();
  return targets;
}

/** Each fold: a translucent band in its type's colour from its first send to its last, with its count where it overlaps no other count. */
function drawFolds(ctx: CanvasRenderingContext2D, folds: readonly ArrowFold[], f: Frame, L: Layout): void {
  if (!folds.length) return;
  const p = f.palette;
  ctx.save();
  ctx.font = `600 10px ${p.font}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const counts: Array<{ x: number; y: number; w: number; text: string }> = [];
  for (const fold of folds) {
    const y1 = L.laneY.get(fold.src)!;
    const y2 = L.laneY.get(fold.dest)!;
    const color = f.typeColor ? f.typeColor(fold.type) : p.dim;
    ctx.beginPath();
    ctx.moveTo(fold.sendFrom, y1);
    ctx.lineTo(fold.sendTo, y1);
    ctx.lineTo(fold.receiveTo, y2);
    ctx.lineTo(fold.receiveFrom, y2);
    ctx.closePath();
    ctx.globalAlpha = 0.22;
    ctx.fillStyle = color;
    ctx.fill();
    ctx.globalAlpha = 0.8;
    ctx.strokeStyle = color;
    ctx.lineWidth = 1;
    ctx.stroke();
    const text = `${fold.count}×`;
    const x = (fold.sendFrom + fold.sendTo + fold.receiveFrom + fold.receiveTo) / 4;
    const y = (y1 + y2) / 2;
    const w = ctx.measureText(text).width + 6;
    if (!counts.some((c) => Math.abs(c.x - x) < (c.w + w) / 2 + 2 && Math.abs(c.y - y) < 15)) counts.push({ x, y, w, text });
  }
  ctx.globalAlpha = 1;
  for (const c of counts) {
    ctx.fillStyle = p.panel;
    ctx.fillRect(c.x - c.w / 2, c.y - 7, c.w, 14);
    ctx.fillStyle = p.text;
    ctx.fillText(c.text, c.x, c.y);
  }
  ctx.restore();
}

/** The clocks above their send dots, if every one fits; false when the view must be zoomed in first. */
function drawClockLabels(ctx: CanvasRenderingContext2D, labels: readonly ClockLabel[], p: Palette, L: Layout): boolean {
  ctx.save();
  ctx.font = `10px ${p.mono}`;
  const laneGap = L.lanes.length ? (L.bottom - L.top) / L.lanes.length : 0;
  const placed = placeClockLabels(labels, (t) => ctx.measureText(t).width, laneGap, { left: L.left, right: L.right });
  if (placed) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.lineWidth = 3;
    ctx.strokeStyle = p.panel;
    ctx.fillStyle = p.text;
    for (const l of placed) {
      ctx.strokeText(l.text, l.x, l.y - 4);
      ctx.fillText(l.text, l.x, l.y - 4);
    }
  }
  ctx.restore();
  return placed !== null;
}

/** Messages a search found: a wide translucent stroke under a sharp one, and a ring at the focused send. */
function drawFound(ctx: CanvasRenderingContext2D, f: Frame, L: Layout): void {
  const found = f.found!;
  ctx.save();
  ctx.strokeStyle = FOUND_COLOR;
  ctx.lineCap = 'round';
  for (const m of f.messages) {
    if (!found.has(m[0])) continue;
    const srcY = L.laneY.get(m[1]);
    const destY = L.laneY.get(m[2]);
    if (srcY === undefined) continue;
    const x1 = xOf(L, m[4]);
    const delivered = m[5] !== null && !UNDELIVERED.has(m[6]);
    const x2 = delivered ? xOf(L, m[5] as number) : xOf(L, m[4] + f.nominalFlightMs / 2);
    const y2 = destY === undefined ? srcY : delivered ? destY : (srcY + destY) / 2;
    ctx.globalAlpha = 0.35;
    ctx.lineWidth = 7;
    ctx.beginPath();
    ctx.moveTo(x1, srcY);
    ctx.lineTo(x2, y2);
    ctx.stroke();
    if (m[0] === f.focused) {
      ctx.globalAlpha = 1;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x1, srcY, 8, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
  ctx.restore();
}

const FOUND_COLOR = '#f59e0b';

/** Dense views draw every line solid: dashing thousands of lines costs more than it tells. */
function strokeBuckets(ctx: CanvasRenderingContext2D, b: Buckets, styles: Record<ArrowStyle, Stroke>, alphaScale: number, dense: boolean): void {
  for (const key of Object.keys(styles) as ArrowStyle[]) {
    const s = styles[key];
    const lines = b.lines[key];
    const heads = b.heads[key];
    const crosses = b.crosses[key];
    if (!lines.length && !crosses.length) continue;
    ctx.globalAlpha = s.alpha * alphaScale;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width;
    ctx.setLineDash(dense ? [] : s.dash);
    ctx.beginPath();
    for (let i = 0; i < lines.length; i += 4) {
      ctx.moveTo(lines[i], lines[i + 1]);
      ctx.lineTo(lines[i + 2], lines[i + 3]);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    for (let i = 0; i < heads.length; i += 4) arrowHead(ctx, heads[i], heads[i + 1], heads[i + 2], heads[i + 3]);
    for (let i = 0; i < crosses.length; i += 2) cross(ctx, crosses[i], crosses[i + 1]);
    ctx.lineWidth = Math.max(s.width, 1.6);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

function arrowHead(ctx: CanvasRenderingContext2D, x1: number, y1: number, x2: number, y2: number): void {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const size = 6;
  for (const side of [-0.45, 0.45]) {
    ctx.moveTo(x2, y2);
    ctx.lineTo(x2 - size * Math.cos(angle + side), y2 - size * Math.sin(angle + side));
  }
}

function cross(ctx: CanvasRenderingContext2D, x: number, y: number): void {
  const r = 4;
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x + r, y - r);
  ctx.lineTo(x - r, y + r);
}

function drawDots(ctx: CanvasRenderingContext2D, dots: { plain: number[]; past: number[]; future: number[]; concurrent: number[]; client: number[] }, p: Palette, dense: boolean, highlighting: boolean): void {
  const fill = (list: number[], color: string, r: number, alpha: number) => {
    if (!list.length) return;
    ctx.globalAlpha = alpha;
    ctx.fillStyle = color;
    ctx.beginPath();
    if (dense) {
      for (let i = 0; i < list.length; i += 2) ctx.rect(list[i] - r, list[i + 1] - r, r * 2, r * 2);
      ctx.fill();
      return;
    }
    for (let i = 0; i < list.length; i += 2) {
      ctx.moveTo(list[i] + r, list[i + 1]);
      ctx.arc(list[i], list[i + 1], r, 0, Math.PI * 2);
    }
    ctx.fill();
  };
  fill(dots.plain, p.text, dense ? 1 : 2.5, highlighting ? 0.3 : 0.9);
  if (dots.client.length) {
    ctx.globalAlpha = highlighting ? 0.3 : 0.8;
    ctx.strokeStyle = p.dim;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = 0; i < dots.client.length; i += 2) {
      ctx.moveTo(dots.client[i] + 2.5, dots.client[i + 1]);
      ctx.arc(dots.client[i], dots.client[i + 1], 2.5, 0, Math.PI * 2);
    }
    ctx.stroke();
  }
  fill(dots.past, p.past, dense ? 1.5 : 3, 1);
  fill(dots.future, p.future, dense ? 1.5 : 3, 1);
  if (dots.concurrent.length) {
    // Rings, so that the cone's filled dots stay the first thing the eye finds.
    ctx.globalAlpha = 0.9;
    ctx.strokeStyle = p.concurrent;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    const r = dense ? 2 : 3.5;
    for (let i = 0; i < dots.concurrent.length; i += 2) {
      ctx.moveTo(dots.concurrent[i] + r, dots.concurrent[i + 1]);
      ctx.arc(dots.concurrent[i], dots.concurrent[i + 1], r, 0, Math.PI * 2);
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

/** The dot nearest to (x, y) within `radius` CSS pixels, as an event id, or null. */
export function hitTest(targets: Targets, x: number, y: number, radius = 7): number | null {
  let best: number | null = null;
  let bestD = radius * radius;
  for (let i = 0; i < targets.count; i++) {
    const dx = targets.xs[i] - x;
    const dy = targets.ys[i] - y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = targets.events[i];
    }
  }
  return best;
}
