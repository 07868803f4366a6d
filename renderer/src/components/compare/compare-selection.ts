// The runs ticked for comparison in the runs list: kept while the person moves between
// views, so a selection survives a look at one of the runs.
import { ref } from 'vue';
import { MAX_COMPARED, MIN_COMPARED } from '../../../../core/analysis/compare-ids.js';

export { MAX_COMPARED, MIN_COMPARED };

export const compareSelection = ref<number[]>([]);

/** Ticks or unticks a run; returns false (nothing changes) when four are ticked already. */
export function toggleCompared(runId: number): boolean {
  const now = compareSelection.value;
  if (now.includes(runId)) {
    compareSelection.value = now.filter((id) => id !== runId);
    return true;
  }
  if (now.length >= MAX_COMPARED) return false;
  compareSelection.value = [...now, runId];
  return true;
}

export function clearCompared(): void {
  compareSelection.value = [];
}
