// What a failing seed offers: its recorded run replayed at the moment the check first
// failed, or the same experiment run again as real processes.
import { formatRoute } from '../../stores/route.js';
import { useRunsStore } from '../../stores/runs.js';
import { useUiStore } from '../../stores/ui.js';
import { transport } from '../../transport/index.js';
import { asRealRun } from './real-run.js';

/** The run view's address at the failure (#/runs/12?t=4.250s), or at its start when the check cannot tell when. */
export function replayAddress(runId: number, firstFailureMs: number | null): string {
  return formatRoute({ kind: 'run', runId, live: false }, firstFailureMs);
}

export function openReplay(runId: number, firstFailureMs: number | null): void {
  // Through the address, as a link would: the run view places its cursor at `t`.
  location.hash = replayAddress(runId, firstFailureMs);
}

export async function runAsReal(seed: number, experimentText: string): Promise<void> {
  const ui = useUiStore();
  try {
    const { runId } = await transport().call('run.start', { text: asRealRun(experimentText) });
    useRunsStore().track(runId);
    ui.toast('info', `Seed ${seed} runs again as real processes: run #${runId}.`);
    ui.open({ kind: 'run', runId, live: true });
  } catch (e) {
    ui.reportError(`Seed ${seed} could not run as real processes`, e);
  }
}
