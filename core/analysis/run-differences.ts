// What sets a run apart from the run of the same experiment before it, in a few words
// ("loss.p 0.1 → 0.2"), so that a list of runs of one experiment tells them apart.
// The seed is left out: lists show it on its own.

/** Fields that say nothing about what the run did differently. */
const IGNORED = new Set(['name', 'seed', 'seedWasRandom']);
/** Path parts every experiment has, which would only make the words longer. */
const STRUCTURAL = new Set(['network', 'defaults', 'params']);
/** Lists compared whole: "faults changed" says more than "faults.2.atMs"; two branches of a stepped run differ in "steps". */
const WHOLE = new Set(['faults', 'links', 'checks', 'steps']);

export interface ExperimentOfRun {
  id: number;
  name: string;
  startedAtMs: number;
  experiment: unknown;
}

function leaves(value: unknown, path: string[], out: Map<string, string>): void {
  if (path.length === 0 && value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (!IGNORED.has(k)) leaves(v, [k], out);
    return;
  }
  if (value && typeof value === 'object' && !(path.length > 0 && WHOLE.has(path[path.length - 1]))) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
    return;
  }
  out.set(path.join('.'), JSON.stringify(value));
}

function shortName(path: string): string {
  const parts = path.split('.').filter((p) => !STRUCTURAL.has(p));
  return parts.join('.') || path;
}

function show(json: string | undefined): string {
  if (json === undefined) return '–';
  return json.length > 14 ? `${json.slice(0, 13)}…` : json.replace(/^"(.*)"$/, '$1');
}

/** The differences between two experiments, at most `max` of them and a count of the rest. */
export function describeDifferences(before: unknown, after: unknown, max = 2): string | null {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  leaves(before, [], a);
  leaves(after, [], b);
  const words: string[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(path);
    const y = b.get(path);
    if (x === y) continue;
    const name = shortName(path);
    words.push(WHOLE.has(path.split('.').pop()!) ? `${name} changed` : `${name} ${show(x)} → ${show(y)}`);
  }
  if (!words.length) return null;
  return words.length > max ? `${words.slice(0, max).join(', ')} +${words.length - max} more` : words.join(', ');
}

/** For each run, what differs from the previous run of the same experiment name (runs without one are left out). */
export function runDifferences(runs: readonly ExperimentOfRun[]): Map<number, string> {
  const out = new Map<number, string>();
  const previous = new Map<string, ExperimentOfRun>();
  for (const run of [...runs].sort((x, y) => x.startedAtMs - y.startedAtMs || x.id - y.id)) {
    const before = previous.get(run.name);
    previous.set(run.name, run);
    if (!before) continue;
    const words = describeDifferences(before.experiment, run.experiment);
    if (words) out.set(run.id, words);
  }
  return out;
}
