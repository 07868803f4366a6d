// The frame around the messages on the space-time canvas: fault bands, lanes with their
// labels, the time axis, and the overview strip of the whole run.
import { nodeColor } from '../chart-kit.js';
import { isClientId } from '../derive/node-order.js';
import type { Frame } from './draw.js';
import { formatTick, timeTicks, xOf } from './geometry.js';

export function drawBands(ctx: CanvasRenderingContext2D, f: Frame): void {
  const { layout: L, palette: p } = f;
  ctx.save();
  ctx.font = `10px ${p.font}`;
  ctx.textBaseline = 'top';
  const laneGap = L.lanes.length ? (L.bottom - L.top) / L.lanes.length : 0;
  // A node's fault shades its own lane, with a marker where it began; other lanes carry on.
  for (const span of f.faults.nodes) {
    const from = Math.max(L.left, xOf(L, span.fromS * 1000));
    const to = Math.min(L.right, xOf(L, span.toS * 1000));
    const laneY = L.laneY.get(span.node);
    if (to <= from || laneY === undefined) continue;
    ctx.fillStyle = p.faultBand;
    ctx.fillRect(from, laneY - laneGap / 2, to - from, laneGap);
    if (xOf(L, span.fromS * 1000) < L.left) continue;
    ctx.fillStyle = p.dim;
    ctx.fillRect(from, laneY - laneGap / 2, 1.5, laneGap);
    ctx.fillText(span.label, from + 4, laneY - laneGap / 2 + 2, Math.max(20, to - from - 6));
  }
  // Network faults across every lane; labels of bands that start close go on rows below each other.
  const rows: number[] = [];
  for (const band of f.faults.network) {
    const from = Math.max(L.left, xOf(L, band.fromS * 1000));
    const to = Math.min(L.right, xOf(L, band.toS * 1000));
    if (to <= from) continue;
    ctx.fillStyle = p.partitionBand;
    ctx.fillRect(from, L.top - 8, to - from, L.bottom - L.top + 8);
    if (to - from < 40) continue;
    const width = Math.min(ctx.measureText(band.label).width, to - from - 6);
    let row = rows.findIndex((end) => end < from);
    if (row < 0) row = rows.push(0) - 1;
    rows[row] = from + width + 6;
    ctx.fillStyle = p.dim;
    ctx.fillText(band.label, from + 3, L.top - 7 + row * 11, to - from - 6);
  }
  ctx.restore();
}

export function drawLanes(ctx: CanvasRenderingContext2D, f: Frame): void {
  const { layout: L, palette: p } = f;
  const laneGap = L.lanes.length ? (L.bottom - L.top) / L.lanes.length : 0;
  ctx.save();
  ctx.textBaseline = 'middle';
  for (const lane of L.lanes) {
    const y = L.laneY.get(lane)!;
    const selected = lane === f.selectedNode;
    if (selected) {
      ctx.fillStyle = p.panel2;
      ctx.fillRect(0, y - laneGap / 2, L.right, laneGap);
    }
    ctx.strokeStyle = p.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(L.left, Math.round(y) + 0.5);
    ctx.lineTo(L.right, Math.round(y) + 0.5);
    ctx.stroke();
    const client = isClientId(lane);
    ctx.fillStyle = client ? p.dim : nodeColor(lane);
    ctx.beginPath();
    ctx.arc(10, y, 4, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = client ? p.dim : p.text;
    ctx.font = `${selected ? 700 : 500} 12px ${p.font}`;
    ctx.fillText(lane, 19, y, L.left - 22);
  }
  ctx.restore();
}

export function drawAxis(ctx: CanvasRenderingContext2D, f: Frame): void {
  const { layout: L, palette: p } = f;
  const { step, ticks } = timeTicks(L.fromMs, L.toMs, Math.max(2, Math.floor((L.right - L.left) / 110)));
  ctx.save();
  ctx.font = `11px ${p.font}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.strokeStyle = p.border;
  ctx.fillStyle = p.dim;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(L.left, L.bottom + 0.5);
  ctx.lineTo(L.right, L.bottom + 0.5);
  for (const t of ticks) {
    const x = Math.round(xOf(L, t)) + 0.5;
    ctx.moveTo(x, L.bottom);
    ctx.lineTo(x, L.bottom + 4);
  }
  ctx.stroke();
  ctx.globalAlpha = 0.35;
  ctx.setLineDash([2, 4]);
  ctx.beginPath();
  for (const t of ticks) {
    const x = Math.round(xOf(L, t)) + 0.5;
    ctx.moveTo(x, L.top);
    ctx.lineTo(x, L.bottom);
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
  for (const t of ticks) ctx.fillText(formatTick(t, step), xOf(L, t), L.bottom + 6);
  ctx.restore();
}

export function drawOverview(ctx: CanvasRenderingContext2D, f: Frame): void {
  const { layout: L, palette: p } = f;
  const { top, height } = L.overview;
  const total = Math.max(f.runMs, L.toMs, 1);
  const x = (ms: number) => L.left + (ms / total) * (L.right - L.left);
  ctx.save();
  ctx.fillStyle = p.panel2;
  ctx.fillRect(L.left, top, L.right - L.left, height);
  const shade = (bands: ReadonlyArray<{ fromS: number; toS: number }>, color: string) => {
    ctx.fillStyle = color;
    for (const b of bands) ctx.fillRect(x(b.fromS * 1000), top, Math.max(1, x(b.toS * 1000) - x(b.fromS * 1000)), height);
  };
  shade(f.faults.nodes, p.faultBand);
  shade(f.faults.network, p.partitionBand);
  let peak = 0;
  for (const b of f.traffic) peak = Math.max(peak, b[1]);
  if (peak > 0) {
    ctx.fillStyle = p.dim;
    ctx.globalAlpha = 0.55;
    for (const b of f.traffic) {
      const h = Math.max(1, (b[1] / peak) * (height - 2));
      ctx.fillRect(x(b[0]), top + height - h, Math.max(1, x(b[0] + 100) - x(b[0])), h);
    }
    ctx.globalAlpha = 1;
  }
  const from = x(Math.max(0, L.fromMs));
  const to = x(L.toMs);
  ctx.fillStyle = p.accent;
  ctx.globalAlpha = 0.18;
  ctx.fillRect(from, top, Math.max(2, to - from), height);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = p.accent;
  ctx.lineWidth = 1.5;
  ctx.strokeRect(from, top + 0.5, Math.max(2, to - from), height - 1);
  ctx.font = `10px ${p.font}`;
  ctx.fillStyle = p.dim;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.fillText('run', L.left - 6, top + height / 2);
  ctx.restore();
}
