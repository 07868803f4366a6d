// A seed worth keeping is simulated again into the lab's store: the same seed gives the same
// record as the hunt judged, so it replays in the lab like any run.
import type { Experiment } from '../../experiment/types.js';
import type { RunSummary } from '../../engine/run.js';
import { SimRun } from '../sim-run.js';

export async function recordSeed(experiment: Experiment, seed: number, dbPath: string, name = experiment.name): Promise<RunSummary> {
  return new SimRun({ ...experiment, name, seed, seedWasRandom: false, mode: 'simulate' }, dbPath).execute();
}
