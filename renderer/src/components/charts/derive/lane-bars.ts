// An ECharts custom-series renderer for bars on lanes: each data item is
// { value: [lane index, from s, to s], itemStyle: { color } }, drawn across its lane (a
// category axis) and clipped to the grid so zooming never spills a bar over the axes.
// An optional label is written inside the bar when it fits.
import { graphic } from 'echarts/core';

interface Api {
  value(dim: number): unknown;
  coord(point: unknown[]): number[];
  size?(size: unknown[]): number | number[];
  visual(kind: 'color' | 'opacity'): unknown;
  /** The data item's own style (its itemStyle merged over the series'). */
  style?(): { fill?: string; opacity?: number };
}

interface Params {
  coordSys: unknown;
  dataIndex: number;
}

export interface LaneBarOptions {
  /** Share of the lane's height the bar fills. */
  heightShare?: number;
  labelOf?: (dataIndex: number) => string | null;
  labelColor?: string;
}

export function laneBarRenderer({ heightShare = 0.7, labelOf, labelColor = '#fff' }: LaneBarOptions = {}) {
  return (params: Params, api: Api) => {
    const lane = api.value(0);
    const from = api.coord([api.value(1), lane]);
    const to = api.coord([api.value(2), lane]);
    const laneSize = api.size?.([0, 1]);
    const height = (Array.isArray(laneSize) ? laneSize[1] : 16) * heightShare;
    const area = params.coordSys as { x: number; y: number; width: number; height: number };
    const rect = graphic.clipRectByRect(
      { x: from[0], y: from[1] - height / 2, width: Math.max(2, to[0] - from[0]), height },
      { x: area.x, y: area.y, width: area.width, height: area.height },
    );
    if (!rect) return null;
    // The item's itemStyle opacity is in its style, not in the 'opacity' visual.
    const own = api.style?.() ?? {};
    const bar = { type: 'rect', shape: rect, style: { fill: own.fill ?? (api.visual('color') as string), opacity: own.opacity ?? (api.visual('opacity') as number) } };
    const label = labelOf?.(params.dataIndex);
    if (!label || rect.width < label.length * 6.5 + 8 || rect.height < 11) return bar;
    const text = { type: 'text', x: rect.x + 4, y: rect.y + rect.height / 2, style: { text: label, fill: labelColor, fontSize: Math.min(11, rect.height - 2), verticalAlign: 'middle' } };
    return { type: 'group', children: [bar, text] };
  };
}
