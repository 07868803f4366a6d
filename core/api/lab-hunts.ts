// Hunts the lab runs (hunt.start): the same hunt as `distlab hunt`, its seeds judged on worker
// threads so the engine's own loop stays free for the lab, its failing seeds recorded into the
// lab's store as they are found. Progress goes out as 'hunt.progress' a few times a second and
// once at the end; a finished hunt stays readable with hunt.get until the lab closes.
import type { HuntView } from './hunt-contract.js';
import { ApiError } from './errors.js';
import { parseExperimentTextWithLines } from '../experiment/load.js';
import { programNames } from '../programs/registry.js';
import { Hunt } from '../simulation/hunt/hunt.js';
import { WorkerJudges } from '../simulation/hunt/judges.js';

interface LabHunt {
  hunt: Hunt;
  done: Promise<void>;
}

/** Ended hunts kept for hunt.get; older ones are forgotten (their failing seeds stay recorded). */
const ENDED_HUNTS_KEPT = 20;

export class LabHunts {
  private readonly hunts = new Map<number, LabHunt>();
  private nextId = 1;

  constructor(
    private readonly dbPath: string,
    private readonly progress: (view: HuntView) => void,
  ) {}

  /** Checks the experiment (refusing a bad one before anything runs or is recorded), then hunts in the background. */
  start(arg: { text: string; from: number; to: number; parallel?: number; stopAtFirst?: boolean }): HuntView {
    const experiment = parseExperimentTextWithLines(arg.text, { source: 'experiment', programs: programNames(), mode: 'simulate' });
    const huntId = this.nextId++;
    const hunt = new Hunt({
      huntId,
      experiment,
      seeds: { from: arg.from, to: arg.to },
      stopAtFirst: arg.stopAtFirst ?? false,
      dbPath: this.dbPath,
      judges: new WorkerJudges(arg.parallel ?? 1),
      onProgress: (view) => this.progress(structuredClone(view)),
    });
    const entry: LabHunt = { hunt, done: Promise.resolve() };
    entry.done = hunt
      .run()
      .then(
        () => undefined,
        (error: unknown) => process.emitWarning(`hunt ${huntId} failed: ${(error as Error).message}`),
      )
      .finally(() => this.forgetOldHunts());
    this.hunts.set(huntId, entry);
    return structuredClone(hunt.view);
  }

  get(huntId: number): HuntView {
    return structuredClone(this.entry(huntId).hunt.view);
  }

  stop(huntId: number): null {
    this.entry(huntId).hunt.stop();
    return null;
  }

  /** Stops every hunt and waits until each has ended its workers. */
  async close(): Promise<void> {
    for (const { hunt } of this.hunts.values()) hunt.stop();
    await Promise.all([...this.hunts.values()].map((h) => h.done));
  }

  private forgetOldHunts(): void {
    const ended = [...this.hunts].filter(([, entry]) => !entry.hunt.view.running);
    for (const [id] of ended.slice(0, Math.max(0, ended.length - ENDED_HUNTS_KEPT))) this.hunts.delete(id);
  }

  private entry(huntId: number): LabHunt {
    const entry = this.hunts.get(huntId);
    if (!entry) throw ApiError.input(`hunt ${huntId} is not known to this lab (a hunt started with distlab hunt lives in its terminal)`, [{ path: 'huntId', message: `no hunt ${huntId} here` }]);
    return entry;
  }
}
