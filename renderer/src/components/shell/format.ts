// Times and durations as a person reads them in lists.

/** "850 ms", "12.4 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const totalS = Math.round(ms / 1000);
  if (totalS < 3600) return `${Math.floor(totalS / 60)} min ${String(totalS % 60).padStart(2, '0')} s`;
  const totalMin = Math.round(totalS / 60);
  return `${Math.floor(totalMin / 60)} h ${String(totalMin % 60).padStart(2, '0')} min`;
}

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** "14:03" today, "yesterday 09:12", "26 Nov 14:03" this year, "26 Nov 2025" before. */
export function formatWhen(epochMs: number, now = new Date()): string {
  const when = new Date(epochMs);
  const time = when.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (sameDay(when, now)) return time;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(when, yesterday)) return `yesterday ${time}`;
  if (when.getFullYear() === now.getFullYear()) return `${when.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
  return when.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** Full date and time, for tooltips. */
export function formatFullTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** The first sentence of a preset's comment block, as its summary. */
export function presetSummary(description: string, max = 160): string {
  const first = description.replace(/^#\s?/gm, '').replace(/\s+/g, ' ').trim().split(/(?<=\.)\s/)[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}
