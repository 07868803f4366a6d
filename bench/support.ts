import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseExperiment } from '../core/experiment/load.js';
import { programNames } from '../core/programs/registry.js';
import { Run } from '../core/engine/run.js';
import type { Experiment } from '../core/experiment/types.js';

export function tempDbPath(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'distlab-bench-')), 'bench.db');
}

export function experiment(file: Record<string, unknown>): Experiment {
  return parseExperiment(file, { source: 'bench', programs: programNames() });
}

export function newRun(file: Record<string, unknown>, dbPath = tempDbPath()): Run {
  return new Run(experiment(file), dbPath);
}

export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The middle value (the lower of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  return sortedQuantile([...values].sort((a, b) => a - b), 0.5);
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
