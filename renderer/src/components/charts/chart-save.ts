// Saving a chart as an image: any ECharts chart as PNG (its own canvas, at twice the
// pixels) or SVG (the same option drawn again by ECharts' SVG renderer, server-side style),
// and a plain canvas (the space-time diagram) as PNG. The file is handed over as a
// download from a blob URL, which works in a browser and in Electron's sandboxed page alike.
import { getInstanceByDom, init, use, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { cssVar } from './chart-kit';

use([SVGRenderer]);

export type ChartKind = 'echarts' | 'canvas';

export interface SavableChart {
  kind: ChartKind;
  echarts?: ECharts;
  canvas?: HTMLCanvasElement;
}

/** The chart inside a container: an ECharts instance first, else its largest canvas. */
export function findChart(container: Element): SavableChart | null {
  for (const el of container.querySelectorAll<HTMLElement>('[_echarts_instance_]')) {
    const instance = getInstanceByDom(el);
    if (instance && !instance.isDisposed()) return { kind: 'echarts', echarts: instance };
  }
  let best: HTMLCanvasElement | null = null;
  for (const canvas of container.querySelectorAll('canvas')) if (!best || canvas.width * canvas.height > best.width * best.height) best = canvas;
  return best && best.width > 0 ? { kind: 'canvas', canvas: best } : null;
}

function background(): string {
  return cssVar('--panel') || '#ffffff';
}

export async function chartPng(chart: SavableChart): Promise<Blob> {
  if (chart.kind === 'echarts') return dataUrlBlob(chart.echarts!.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background() }));
  // The diagram's canvas has a transparent background: paint the panel colour under it.
  const source = chart.canvas!;
  const out = document.createElement('canvas');
  out.width = source.width;
  out.height = source.height;
  const g = out.getContext('2d')!;
  g.fillStyle = background();
  g.fillRect(0, 0, out.width, out.height);
  g.drawImage(source, 0, 0);
  return dataUrlBlob(out.toDataURL('image/png'));
}

/** The chart's current option (zoom and legend choices included) drawn by the SVG renderer. */
export function chartSvg(chart: SavableChart): Blob | null {
  if (chart.kind !== 'echarts') return null;
  const source = chart.echarts!;
  const svg = init(null, undefined, { renderer: 'svg', ssr: true, width: source.getWidth(), height: source.getHeight() });
  try {
    const option = source.getOption() as Record<string, unknown>;
    svg.setOption({ ...option, animation: false, backgroundColor: background() });
    return new Blob([svg.renderToSVGString()], { type: 'image/svg+xml' });
  } finally {
    svg.dispose();
  }
}

function dataUrlBlob(url: string): Blob {
  const [head, data] = url.split(',', 2);
  const type = /^data:([^;,]+)/.exec(head)?.[1] ?? 'application/octet-stream';
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type });
}

/** Hands the file to the browser (or Electron) as a download. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "Messages per second · peak 117/s" → "messages-per-second-peak-117-s". */
export function fileSlug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'chart';
}
