// The compare report: one self-contained HTML file (the runs, the table with the best values
// and the differences, every chart as an embedded PNG, the experiments), and the table as
// CSV. Both are handed to the browser as downloads; Electron shows its save dialog for them.
import type { CompareData } from '../../../../core/api/compare-data.js';
import { bestIndex, diffFromFirst } from '../../../../core/analysis/compare-table.js';
import { runColor } from './run-colors.js';
import { diffTone, formatCell, formatDiff, GROUP_TITLES } from './table-format.js';

export interface ReportImage {
  title: string;
  url: string;
  /** Spans the page's width (a space-time diagram); charts sit two to a row. */
  wide?: boolean;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function reportTitle(data: CompareData): string {
  return `Distlab comparison of runs ${data.info.map((i) => `#${i.runId}`).join(', ')}`;
}

export function reportFileName(data: CompareData, ext: 'html' | 'csv'): string {
  return `distlab-compare-${data.info.map((i) => i.runId).join('-')}.${ext}`;
}

export function reportHtml(data: CompareData, labels: string[], alignedOn: string, images: ReportImage[], createdAt = new Date()): string {
  const head = data.info.map((info, i) => `<th style="border-top:3px solid ${runColor(i)}">#${info.runId} ${esc(info.name)}${i === 0 ? ' <small>(baseline)</small>' : ''}</th>`).join('');
  let group = '';
  const rows: string[] = [];
  for (const row of data.table) {
    const title = GROUP_TITLES[row.group];
    if (title !== group) {
      group = title;
      rows.push(`<tr class="group"><th colspan="${data.info.length + 1}">${esc(title)}</th></tr>`);
    }
    const best = bestIndex(row);
    const diffs = diffFromFirst(row);
    const cells = row.values
      .map((v, i) => `<td class="${best === i ? 'best' : ''}">${esc(formatCell(v))}${diffs[i] !== null ? ` <span class="diff ${diffTone(row, diffs[i])}">${esc(formatDiff(diffs[i]))}</span>` : ''}</td>`)
      .join('');
    rows.push(`<tr><th>${esc(row.label)}${row.unit ? ` <small>(${esc(row.unit)})</small>` : ''}</th>${cells}</tr>`);
  }
  const runs = data.info.map((info, i) => `<li><span class="sw" style="background:${runColor(i)}"></span><b>#${info.runId} ${esc(info.name)}</b> — ${esc(labels[i])}</li>`).join('');
  const figures = images.map((img) => `<figure${img.wide ? ' class="wide"' : ''}><img src="${img.url}" alt="${esc(img.title)}"><figcaption>${esc(img.title)}</figcaption></figure>`).join('\n');
  const yaml = data.info.map((info, i) => `<section><h3 style="border-top:3px solid ${runColor(i)}">#${info.runId} ${esc(info.name)}</h3><pre>${esc(info.experimentYaml)}</pre></section>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(reportTitle(data))}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2430;background:#fff;margin:24px auto;max-width:1200px;padding:0 16px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}small{color:#5b6576;font-weight:400}
.meta{color:#5b6576;font-size:12.5px}ul.runs{list-style:none;padding:0}ul.runs li{margin:3px 0}.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
table{border-collapse:collapse;font-size:13px}th,td{padding:4px 12px;border-bottom:1px solid #d9dde3;text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tbody th{text-align:left;font-weight:500}tr.group th{text-align:left;text-transform:uppercase;font-size:11px;letter-spacing:.05em;color:#5b6576;padding-top:10px}
td.best{background:#dcfce7;font-weight:650}.diff{font-size:11.5px;color:#5b6576}.diff.better{color:#16a34a}.diff.worse{color:#dc2626}
.figures{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px}figure{margin:0}figure.wide{grid-column:1/-1}figure img{width:100%;border:1px solid #d9dde3;border-radius:6px}figcaption{font-size:12px;color:#5b6576}
.yaml{display:grid;grid-template-columns:repeat(${data.info.length},minmax(0,1fr));gap:8px}.yaml pre{font:12px/1.5 ui-monospace,monospace;background:#f6f7f9;padding:8px;overflow:auto;margin:0}.yaml h3{font-size:13px;margin:0;padding:4px 0}
.note{font-size:12.5px;color:#5b6576}
</style></head><body>
<h1>${esc(reportTitle(data))}</h1>
<p class="meta">Made by Distlab on ${esc(createdAt.toISOString().replace('T', ' ').slice(0, 19))} UTC. Charts aligned on ${esc(alignedOn)}.</p>
<ul class="runs">${runs}</ul>
<p class="note">A seed fixes the network's decisions (latency, loss, duplicates, the fault schedule); the nodes' timing is the operating system's, so two runs of one seed are alike, not identical.</p>
<h2>Headline measurements</h2>
<table><thead><tr><th></th>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table>
<p class="note">Best value of a row highlighted; % is the difference from the baseline (first) run; — means the run has no such value.</p>
<h2>Charts</h2>
${figures ? `<div class="figures">${figures}</div>` : '<p class="note">No charts.</p>'}
<h2>Experiments</h2>
<div class="yaml">${yaml}</div>
</body></html>
`;
}

/** Hands a file to the browser as a download. */
export function download(fileName: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
