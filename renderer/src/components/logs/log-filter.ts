// Which log lines the log panel shows: by node, stream and text, newest last.
import type { LogPoint } from '../../../../core/api/contract.js';

export interface LogFilter {
  node: string;
  stream: string;
  text: string;
}

export const ALL = '';

export function filterLogs(logs: LogPoint[], filter: LogFilter, limit: number): LogPoint[] {
  const needle = filter.text.trim().toLowerCase();
  const out: LogPoint[] = [];
  for (let i = logs.length - 1; i >= 0 && out.length < limit; i--) {
    const l = logs[i];
    if (filter.node !== ALL && l[1] !== filter.node) continue;
    if (filter.stream !== ALL && l[2] !== filter.stream) continue;
    if (needle && !l[3].toLowerCase().includes(needle) && !l[1].toLowerCase().includes(needle)) continue;
    out.push(l);
  }
  return out.reverse();
}
