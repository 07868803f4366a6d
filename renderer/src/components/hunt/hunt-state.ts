// What a hunt is doing now, from its view: the seeds are judged first, then (still running)
// the shortest failure is shrunk; a hunt the person stopped is not shrunk.
import type { HuntView } from '../../../../core/api/hunt-contract.js';

export function shrinking(hunt: HuntView): boolean {
  return hunt.running && hunt.shortestSeed !== null && (hunt.done >= hunt.total || hunt.stoppedEarly);
}

/** Why a failing seed has no run to replay (yet). */
export function notRecordedReason(hunt: HuntView, runId: number | null): string | null {
  if (runId !== null) return null;
  return hunt.running ? 'Being recorded…' : 'Not recorded: a hunt records its first 50 failing seeds and the shortest one';
}
