// How many messages were sent in each slice of a run, read from the (run_id, id) index
// alone: within a run, message ids follow send order (the switch numbers messages as it
// receives them), so a slice's messages are an id range, found by binary search on the
// send time of a few rows, and counted in the index. A 250,000-message run takes a few
// ms this way, against a scan of every row's send time.
import type Database from 'better-sqlite3';

/** [slice start ms, messages sent in it (the network's extra copies included)], from 0 to endMs. */
export function sentPerSlice(db: Database.Database, runId: number, sliceMs: number, endMs: number): Array<[number, number]> {
  const first = db.prepare('SELECT id FROM messages WHERE run_id = ? ORDER BY id LIMIT 1').pluck().get(runId) as number | undefined;
  if (first === undefined) return [];
  const last = db.prepare('SELECT id FROM messages WHERE run_id = ? ORDER BY id DESC LIMIT 1').pluck().get(runId) as number;
  const lastSentUs = db.prepare('SELECT t_send_us FROM messages WHERE run_id = ? AND id = ?').pluck().get(runId, last) as number;
  const atOrAfter = db.prepare('SELECT id, t_send_us FROM messages WHERE run_id = ? AND id >= ? ORDER BY id LIMIT 1').raw();
  const count = db.prepare('SELECT COUNT(*) FROM messages WHERE run_id = ? AND id >= ? AND id < ?').pluck();

  /** The first id sent at or after tUs, searching from `lo` (ids before it were sent earlier); last + 1 when none. */
  const boundary = (tUs: number, lo: number): number => {
    let hi = last + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const row = atOrAfter.get(runId, mid) as [number, number] | undefined;
      if (row && row[1] >= tUs) hi = Math.min(mid, row[0]);
      else lo = row ? row[0] + 1 : hi;
    }
    return lo;
  };

  const out: Array<[number, number]> = [];
  const end = Math.max(endMs, lastSentUs / 1000 + sliceMs);
  let from = first;
  for (let ms = 0; ms < end; ms += sliceMs) {
    const to = boundary((ms + sliceMs) * 1000, from);
    out.push([ms, to > from ? (count.get(runId, from, to) as number) : 0]);
    from = to;
    if (from > last) break;
  }
  return out;
}
