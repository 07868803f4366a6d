// Each compared run named by what sets it apart, as `distlab compare` labels it: the program,
// then every setting whose value differs between the runs (parameters, network, workload, seed).
import { parse } from 'yaml';
import type { ComparedRun } from '../../../../core/analysis/compare.js';

const show = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

export function runLabel(run: ComparedRun): string {
  const parts = Object.entries(run.label).map(([key, value]) => (key === 'program' ? String(value) : `${key.replace(/^params\./, '')} ${show(value)}`));
  return parts.join(' · ');
}

/** True when nothing but the program is in the labels and it is the same: one experiment, one seed. */
export function sameExperiment(runs: readonly ComparedRun[]): boolean {
  return runs.every((r) => Object.keys(r.label).every((k) => k === 'program')) && new Set(runs.map((r) => show(r.label.program))).size === 1;
}

/** How each run ran: 'simulate' for mode: simulate, else 'real' (also for text that does not parse). */
export function runModes(experimentYamls: readonly string[]): Array<'simulate' | 'real'> {
  return experimentYamls.map((text) => {
    try {
      return (parse(text) as { mode?: unknown } | null)?.mode === 'simulate' ? 'simulate' : 'real';
    } catch {
      return 'real';
    }
  });
}

/** True when every run was simulated (mode: simulate): a seed, and the steps of a stepped run, fix the whole record. */
export function allSimulated(experimentYamls: readonly string[]): boolean {
  const modes = runModes(experimentYamls);
  return modes.length > 0 && modes.every((mode) => mode === 'simulate');
}
