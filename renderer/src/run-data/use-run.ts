// Loads a recorded run, or follows a live one, into a RunModel. The model itself is not
// reactive; `version` is, and changes at most about 10 times a second.
import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue';
import type { RunData } from '../../../core/api/contract.js';
import { transport } from '../transport/index.js';
import { appendRunData, emptyRunModel, type RunModel } from './run-model.js';

const REDRAW_MS = 100;

export function useRun(runId: Ref<number>, live: Ref<boolean>) {
  const model = shallowRef<RunModel>(emptyRunModel(runId.value, live.value));
  const version = shallowRef(0);
  const error = shallowRef<string | null>(null);
  let stop: (() => void) | null = null;
  let scheduled = false;

  const bump = () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      version.value = model.value.version;
    }, REDRAW_MS);
  };

  const follow = async (id: number, isLive: boolean) => {
    stop?.();
    stop = null;
    error.value = null;
    const fresh = emptyRunModel(id, isLive);
    model.value = fresh;
    try {
      if (isLive) {
        // Increments that come while the history loads wait; those it already holds are skipped.
        let historySeq: number | null = null;
        const waiting: RunData[] = [];
        stop = transport().on('run.data', (data) => {
          if (data.runId !== id) return;
          if (historySeq === null) waiting.push(data);
          else if ((data.seq ?? Infinity) > historySeq) {
            appendRunData(fresh, data);
            bump();
          }
        });
        const history = await transport().call('runs.data', { runId: id });
        if (model.value !== fresh) return;
        // No seq: the run has ended meanwhile, and its recording is complete.
        historySeq = history.seq ?? Infinity;
        appendRunData(fresh, history);
        for (const data of waiting) if ((data.seq ?? Infinity) > historySeq) appendRunData(fresh, data);
      } else {
        appendRunData(fresh, await transport().call('runs.data', { runId: id }));
      }
      version.value = fresh.version;
    } catch (e) {
      error.value = (e as Error).message;
    }
  };

  watch([runId, live], ([id, isLive]) => void follow(id, isLive), { immediate: true });
  onBeforeUnmount(() => stop?.());
  return { model, version, error };
}
