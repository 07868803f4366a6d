// A run's data as the charts read it: plain arrays, grown in place from live increments or
// filled at once from a recording. Kept out of Vue's deep reactivity on purpose.
import type { RunData } from '../../../core/api/contract.js';
import { appendRunData as appendToHistory, emptyRunData } from '../../../core/api/run-history.js';

export interface RunModel extends RunData {
  live: boolean;
  /** Bumped on every change, so views know when to redraw. */
  version: number;
}

export function emptyRunModel(runId: number, live: boolean): RunModel {
  return { ...emptyRunData(runId), live, version: 0 };
}

export function appendRunData(model: RunModel, data: RunData): void {
  appendToHistory(model, data);
  model.version++;
}
