// How the stepping view words what is pending and what was chosen.
import type { PendingMessage } from '../../../../core/api/stepping-contract.js';

/** Virtual time, to the µs the simulator keeps when it has them: 1234.5 → "1.2345 s". */
export function virtualTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms * 1000) / 1000} ms`;
  return `${(Math.round(ms * 1000) / 1e6).toFixed(6).replace(/(\.\d{3}\d*?)0+$/, '$1')} s`;
}

/** A run time to the ms, for tables: 386.667 → "387 ms", 1386.667 → "1.387 s". */
export function runTime(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(3)} s`;
}

/** A message body in one short line: `{"term":2,"entries":[…]}` cut at `max` characters. */
export function bodyPreview(body: unknown, max = 90): string {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function messageTitle(m: PendingMessage): string {
  const copy = m.copyOf === null ? '' : `, a copy of #${m.copyOf}`;
  return `#${m.id} ${m.type} ${m.from} → ${m.to}${copy}: sent at ${virtualTime(m.sentMs)}, due at ${virtualTime(m.dueMs)}\n${bodyPreview(m.body, 400)}`;
}
