// Experiments saved in this browser or app, and the draft being edited, in localStorage.
import { readJson, STORAGE_KEYS, writeJson } from './persisted.js';

export interface SavedExperiment {
  id: string;
  name: string;
  text: string;
  savedAtMs: number;
}

/** Where the experiment in the editor came from. */
export type Origin =
  | { kind: 'none' }
  | { kind: 'new' }
  | { kind: 'preset'; presetId: string; name: string }
  | { kind: 'saved'; savedId: string }
  /** Run with changes: a recorded run's experiment; a run of it is linked to that run. */
  | { kind: 'run'; runId: number; name: string };

export interface Draft {
  origin: Origin;
  text: string;
  /** The text as last opened or saved, to tell whether there are unsaved changes. */
  baseline: string;
}

interface SavedFile {
  version: 1;
  experiments: SavedExperiment[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isSavedExperiment(v: unknown): v is SavedExperiment {
  return isRecord(v) && typeof v.id === 'string' && typeof v.name === 'string' && typeof v.text === 'string' && typeof v.savedAtMs === 'number';
}

function isSavedFile(v: unknown): v is SavedFile {
  return isRecord(v) && v.version === 1 && Array.isArray(v.experiments);
}

function isOrigin(v: unknown): v is Origin {
  if (!isRecord(v)) return false;
  switch (v.kind) {
    case 'none':
    case 'new':
      return true;
    case 'preset':
      return typeof v.presetId === 'string' && typeof v.name === 'string';
    case 'saved':
      return typeof v.savedId === 'string';
    case 'run':
      return typeof v.runId === 'number' && typeof v.name === 'string';
    default:
      return false;
  }
}

function isDraft(v: unknown): v is Draft {
  return isRecord(v) && isOrigin(v.origin) && typeof v.text === 'string' && typeof v.baseline === 'string';
}

export function loadSavedExperiments(): SavedExperiment[] {
  // A damaged entry is skipped rather than losing the others.
  return readJson(STORAGE_KEYS.savedExperiments, isSavedFile)?.experiments.filter(isSavedExperiment) ?? [];
}

export function storeSavedExperiments(experiments: SavedExperiment[]): string | null {
  const file: SavedFile = { version: 1, experiments };
  return writeJson(STORAGE_KEYS.savedExperiments, file);
}

export function loadDraft(): Draft | null {
  return readJson(STORAGE_KEYS.draft, isDraft);
}

export function storeDraft(draft: Draft): void {
  writeJson(STORAGE_KEYS.draft, draft);
}

export function newSavedId(): string {
  return `x${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
