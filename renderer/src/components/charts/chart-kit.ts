// What every time chart shares: the run's time on the x axis in seconds, the theme's
// colours, and the fault timeline drawn as labelled bands so cause and effect line up.
import type { FaultPoint } from '../../../../core/api/contract';

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Distinct, readable series colours for nodes n1…, the same on every chart. */
const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#4f46e5'];
export function nodeColor(node: string): string {
  const n = Number(node.replace(/\D/g, '')) || 0;
  return PALETTE[(n - 1 + PALETTE.length) % PALETTE.length];
}

/** Base options for a chart with run time (s) on x: no animation, tooltips, zoom. */
export function timeChartBase(title: string, yName: string) {
  const text = cssVar('--text');
  const dim = cssVar('--text-dim');
  const grid = cssVar('--border');
  return {
    animation: false,
    title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13, fontWeight: 600, color: text } },
    grid: { left: 56, right: 16, top: 36, bottom: 44 },
    tooltip: { trigger: 'axis', confine: true },
    legend: { top: 4, right: 8, textStyle: { color: dim, fontSize: 11 }, itemWidth: 14, itemHeight: 8 },
    xAxis: { type: 'value', name: 'run time (s)', nameLocation: 'middle', nameGap: 26, min: 0, axisLabel: { color: dim }, nameTextStyle: { color: dim }, splitLine: { lineStyle: { color: grid } } },
    yAxis: { type: 'value', name: yName, nameTextStyle: { color: dim, align: 'left' }, axisLabel: { color: dim }, splitLine: { lineStyle: { color: grid } } },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
  };
}

interface Band {
  fromS: number;
  toS: number;
  label: string;
  kind: 'partition' | 'node';
}

/** Faults as time bands: a partition or cut until heal; a kill/stop until restart; a pause until resume. */
export function faultBands(faults: FaultPoint[], untilMs: number): Band[] {
  const bands: Band[] = [];
  let partitionSince: { ms: number; label: string } | null = null;
  const downSince = new Map<string, { ms: number; kind: string }>();
  for (const [ms, kind, detail] of faults) {
    const d = (detail ?? {}) as { nodes?: string[]; pattern?: string; groups?: string[][]; from?: unknown; to?: unknown };
    if (kind === 'partition' || kind === 'partition-pattern' || kind === 'cut') {
      if (!partitionSince) partitionSince = { ms, label: kind === 'cut' ? 'cut' : `partition${d.pattern ? ` (${d.pattern})` : ''}` };
    } else if (kind === 'heal' && partitionSince) {
      bands.push({ fromS: partitionSince.ms / 1000, toS: ms / 1000, label: partitionSince.label, kind: 'partition' });
      partitionSince = null;
    } else if (kind === 'kill' || kind === 'stop' || kind === 'pause') {
      for (const node of d.nodes ?? []) if (!downSince.has(node)) downSince.set(node, { ms, kind });
    } else if (kind === 'restart' || kind === 'resume') {
      for (const node of d.nodes ?? []) {
        const since = downSince.get(node);
        if (!since) continue;
        bands.push({ fromS: since.ms / 1000, toS: ms / 1000, label: `${since.kind} ${node}`, kind: 'node' });
        downSince.delete(node);
      }
    }
  }
  if (partitionSince) bands.push({ fromS: partitionSince.ms / 1000, toS: untilMs / 1000, label: partitionSince.label, kind: 'partition' });
  for (const [node, since] of downSince) bands.push({ fromS: since.ms / 1000, toS: untilMs / 1000, label: `${since.kind} ${node}`, kind: 'node' });
  return bands;
}

/** An ECharts markArea (put it on any one series) that shades the fault bands. */
export function faultMarkArea(faults: FaultPoint[], untilMs: number) {
  const partition = cssVar('--fault-band-partition');
  const node = cssVar('--fault-band');
  const dim = cssVar('--text-dim');
  return {
    silent: true,
    label: { color: dim, fontSize: 10, position: 'insideTop' },
    data: faultBands(faults, untilMs).map((b) => [
      { xAxis: b.fromS, name: b.label, itemStyle: { color: b.kind === 'partition' ? partition : node } },
      { xAxis: Math.max(b.toS, b.fromS + 0.01) },
    ]),
  };
}
