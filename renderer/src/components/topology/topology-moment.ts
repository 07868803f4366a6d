// What moment a finished run's topology shows: a live one shows now and needs no words.
import { formatClock } from '../run/format.js';

export function topologyMoment(ended: boolean, cursorMs: number | null, spanMs: number | null): string | null {
  if (!ended) return null;
  if (cursorMs === null || (spanMs !== null && cursorMs >= spanMs)) return 'the state at the end of the run';
  return `the state at the replay cursor, ${formatClock(cursorMs)}`;
}
