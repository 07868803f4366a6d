// The saved experiments and the one being edited. The YAML Document is the source of
// truth: the YAML pane replaces it, the form changes parts of it, and both read `value`.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { Document } from 'yaml';
import type { Preset, Problem } from '../../../core/api/contract.js';
import { ApiCallError } from '../transport/api-error.js';
import { transport } from '../transport/index.js';
import { appendAt, docText, docValue, isFormEditable, parseExperimentDoc, removeAt, setAt, type DocPath } from './experiment-doc.js';
import { NEW_EXPERIMENT_TEXT } from './experiment-template.js';
import { useRunsStore } from './runs.js';
import { loadDraft, loadSavedExperiments, newSavedId, storeDraft, storeSavedExperiments, type Origin, type SavedExperiment } from './saved-experiments.js';
import { isConnectionError, useUiStore } from './ui.js';

export const VALIDATE_DELAY_MS = 250;
const DRAFT_DELAY_MS = 400;

/** The operations a form edit may perform on the document. */
export interface DocEdit {
  set(path: DocPath, value: unknown): void;
  append(path: DocPath, item: unknown): void;
  remove(path: DocPath, index: number): void;
}

export type SaveOutcome = 'saved' | 'needs-name' | 'failed';

export const useExperimentsStore = defineStore('experiments', () => {
  const saved = ref<SavedExperiment[]>(loadSavedExperiments());
  const origin = ref<Origin>({ kind: 'none' });
  const text = ref('');
  const baseline = ref('');
  /** A plain copy of the document for reading; replaced (never mutated) on every change. */
  const value = shallowRef<unknown>(null);
  const syntaxError = ref<string | null>(null);
  const formEditable = ref(true);
  const problems = ref<Problem[]>([]);
  /** The text that `problems` and `checkOk` describe; validation of newer text is pending. */
  const checkedText = ref<string | null>(null);
  const checkOk = ref(false);
  const validatedNodes = ref<string[]>([]);
  /** Set when the text is a valid sweep: Run then starts all of its runs (sweep.start). */
  const sweep = ref<{ combinations: number; repeat: number; runs: number } | null>(null);
  const validating = ref(false);
  const starting = ref(false);
  /** The Save as… dialog is open. */
  const naming = ref(false);
  let doc: Document = parseExperimentDoc('').doc;
  let validateTimer: ReturnType<typeof setTimeout> | null = null;
  let draftTimer: ReturnType<typeof setTimeout> | null = null;

  const isOpen = computed(() => origin.value.kind !== 'none');
  const dirty = computed(() => isOpen.value && text.value !== baseline.value);
  const pending = computed(() => checkedText.value !== text.value);
  const valid = computed(() => !pending.value && checkOk.value && !syntaxError.value);
  const savedEntry = computed(() => (origin.value.kind === 'saved' ? saved.value.find((s) => s.id === (origin.value as { savedId: string }).savedId) ?? null : null));
  const name = computed(() => {
    const v = value.value as { name?: unknown } | null;
    return typeof v?.name === 'string' && v.name.trim() ? v.name : 'untitled';
  });
  /** Node ids n1…nN from the count being edited, and those the schedule joins; else from the last successful validation. */
  const nodeIds = computed(() => {
    const file = value.value as { nodes?: { count?: unknown }; faults?: unknown } | null;
    const count = file?.nodes?.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1000) return validatedNodes.value;
    const initial = Array.from({ length: count }, (_, i) => `n${i + 1}`);
    const joins = Array.isArray(file?.faults) ? file.faults.map((f) => (f as { join?: unknown } | null)?.join).filter((id): id is string => typeof id === 'string' && !initial.includes(id)) : [];
    return [...initial, ...new Set(joins)];
  });

  function adopt(nextDoc: Document, nextText: string, error: string | null): void {
    text.value = nextText;
    syntaxError.value = error;
    if (error) return; // keep the last good document and value: the form shows them, read-only
    doc = nextDoc;
    value.value = docValue(doc);
    formEditable.value = isFormEditable(doc);
  }

  function load(nextOrigin: Origin, nextText: string, nextBaseline = nextText): void {
    const parsed = parseExperimentDoc(nextText);
    if (parsed.syntaxError) {
      // Nothing good to fall back on: the form starts empty until the YAML parses.
      doc = parseExperimentDoc('').doc;
      value.value = null;
      formEditable.value = true;
    }
    origin.value = nextOrigin;
    baseline.value = nextBaseline;
    adopt(parsed.doc, nextText, parsed.syntaxError);
    problems.value = [];
    checkedText.value = null;
    if (nextOrigin.kind !== 'none') void validateNow();
  }

  /** The YAML pane's text: the form follows whenever it parses. */
  function setText(next: string): void {
    if (next === text.value) return;
    const parsed = parseExperimentDoc(next);
    adopt(parsed.doc, next, parsed.syntaxError);
    scheduleValidation();
  }

  /** A form edit: changes parts of the document and regenerates the YAML text. */
  function change(edit: (ops: DocEdit) => void): void {
    if (syntaxError.value || !formEditable.value) return;
    try {
      edit({
        set: (path, v) => setAt(doc, path, v),
        append: (path, item) => appendAt(doc, path, item),
        remove: (path, index) => removeAt(doc, path, index),
      });
    } catch (e) {
      useUiStore().toast('error', `That change could not be applied to the YAML: ${(e as Error).message}`);
    }
    // Re-parse what we print, so the document matches the text exactly (positions, styles).
    const nextText = docText(doc);
    const parsed = parseExperimentDoc(nextText);
    adopt(parsed.doc, nextText, parsed.syntaxError);
    scheduleValidation();
  }

  function set(path: DocPath, v: unknown): void {
    change((ops) => ops.set(path, v));
  }

  function scheduleValidation(): void {
    if (validateTimer) clearTimeout(validateTimer);
    validateTimer = setTimeout(() => void validateNow(), VALIDATE_DELAY_MS);
  }

  async function validateNow(): Promise<void> {
    if (validateTimer) clearTimeout(validateTimer);
    validateTimer = null;
    const asked = text.value;
    validating.value = true;
    try {
      const result = await transport().call('experiment.validate', { text: asked });
      if (asked !== text.value) return; // a newer text is on its way
      checkedText.value = asked;
      checkOk.value = result.ok;
      problems.value = result.ok ? [] : result.problems;
      if (result.ok) validatedNodes.value = result.nodes;
      sweep.value = result.ok ? (result.sweep ?? null) : null;
      useUiStore().connectionOk();
    } catch (e) {
      if (asked !== text.value) return;
      checkedText.value = asked;
      checkOk.value = false;
      problems.value = [{ path: '', message: `could not check the experiment: ${(e as Error).message}` }];
      if (isConnectionError(e)) useUiStore().connectionLost((e as Error).message);
    } finally {
      if (asked === text.value) validating.value = false;
    }
  }

  async function confirmDiscard(): Promise<boolean> {
    if (!dirty.value) return true;
    return useUiStore().ask({
      title: 'Discard changes?',
      message: `"${name.value}" has changes that are not saved. Open the other experiment and lose them?`,
      confirmLabel: 'Discard changes',
      danger: true,
    });
  }

  async function openPreset(preset: Preset): Promise<boolean> {
    if (!(await confirmDiscard())) return false;
    load({ kind: 'preset', presetId: preset.id, name: preset.name }, preset.text);
    return true;
  }

  async function openSaved(id: string): Promise<boolean> {
    const entry = saved.value.find((s) => s.id === id);
    if (!entry || !(await confirmDiscard())) return false;
    load({ kind: 'saved', savedId: id }, entry.text);
    return true;
  }

  async function createNew(): Promise<boolean> {
    if (!(await confirmDiscard())) return false;
    load({ kind: 'new' }, NEW_EXPERIMENT_TEXT);
    return true;
  }

  /**
   * Run with changes: the recorded run's experiment in the editor, with the run's seed written
   * in when the text has none, so that the changes are all that differs. A run of it is linked.
   */
  async function openFromRun(runId: number, name: string, runText: string, seed: number | null): Promise<boolean> {
    if (!(await confirmDiscard())) return false;
    load({ kind: 'run', runId, name }, runText);
    const current = value.value as { seed?: unknown } | null;
    if (seed !== null && !syntaxError.value && formEditable.value && current?.seed === undefined) {
      set(['seed'], seed);
      baseline.value = text.value;
    }
    return true;
  }

  /** Saves over the saved experiment being edited; a preset or a new one needs a name first. */
  function save(): SaveOutcome {
    const entry = savedEntry.value;
    if (!entry) return 'needs-name';
    return persist(saved.value.map((s) => (s.id === entry.id ? { ...s, name: name.value, text: text.value, savedAtMs: Date.now() } : s)), entry.id);
  }

  /** Save: over the saved entry, or via the Save as… dialog for a preset or a new experiment. */
  function requestSave(): void {
    if (!isOpen.value) return;
    if (save() === 'needs-name') naming.value = true;
  }

  /** Saves as a new entry under `newName` (also written as the experiment's name); an entry of that name is replaced. */
  function saveAs(newName: string): SaveOutcome {
    const trimmed = newName.trim();
    if (!trimmed) return 'needs-name';
    if (!syntaxError.value && formEditable.value && name.value !== trimmed) set(['name'], trimmed);
    const existing = saved.value.find((s) => s.name === trimmed);
    const entry: SavedExperiment = { id: existing?.id ?? newSavedId(), name: trimmed, text: text.value, savedAtMs: Date.now() };
    const next = existing ? saved.value.map((s) => (s.id === existing.id ? entry : s)) : [...saved.value, entry];
    return persist(next, entry.id);
  }

  function persist(next: SavedExperiment[], openId: string): SaveOutcome {
    const failure = storeSavedExperiments(next);
    if (failure) {
      useUiStore().toast('error', `The experiment was not saved: ${failure}`);
      return 'failed';
    }
    saved.value = next;
    origin.value = { kind: 'saved', savedId: openId };
    baseline.value = text.value;
    useUiStore().toast('success', `Saved "${next.find((s) => s.id === openId)?.name}"`);
    return 'saved';
  }

  async function removeSaved(id: string): Promise<void> {
    const entry = saved.value.find((s) => s.id === id);
    if (!entry) return;
    const yes = await useUiStore().ask({ title: 'Delete saved experiment?', message: `Delete "${entry.name}" from this app? Its recorded runs stay.`, confirmLabel: 'Delete', danger: true });
    if (!yes) return;
    const next = saved.value.filter((s) => s.id !== id);
    const failure = storeSavedExperiments(next);
    if (failure) return void useUiStore().toast('error', `Could not delete it: ${failure}`);
    saved.value = next;
    // The text stays in the editor, now unsaved.
    if (origin.value.kind === 'saved' && origin.value.savedId === id) {
      origin.value = { kind: 'new' };
      baseline.value = '';
    }
  }

  /** Starts a run of the experiment in the editor and opens its live view. */
  async function runCurrent(): Promise<number | null> {
    const ui = useUiStore();
    if (starting.value || !isOpen.value) return null;
    if (pending.value) await validateNow();
    if (!valid.value) {
      ui.toast('error', 'The experiment has problems; fix the fields marked in red before running it.');
      return null;
    }
    starting.value = true;
    const asked = text.value;
    try {
      if (sweep.value) {
        const started = await transport().call('sweep.start', { text: asked });
        ui.toast('info', `Sweep #${started.sweepId} started: ${started.runs} runs, one at a time.`);
        ui.open({ kind: 'sweep', sweepId: started.sweepId });
        return null;
      }
      const from = origin.value;
      const { runId } = await transport().call('run.start', { text: asked, ...(from.kind === 'run' && { originRunId: from.runId }) });
      useRunsStore().track(runId);
      ui.open({ kind: 'run', runId, live: true });
      return runId;
    } catch (e) {
      if (e instanceof ApiCallError && e.problems.length && asked === text.value) {
        problems.value = e.problems;
        checkOk.value = false;
      }
      ui.reportError('The run did not start', e);
      return null;
    } finally {
      starting.value = false;
    }
  }

  /** Restores the draft of the last session, if any. */
  function restoreDraft(): void {
    const draft = loadDraft();
    if (!draft || draft.origin.kind === 'none') return;
    const draftOrigin = draft.origin;
    const stillSaved = draftOrigin.kind !== 'saved' || saved.value.some((s) => s.id === draftOrigin.savedId);
    load(stillSaved ? draftOrigin : { kind: 'new' }, draft.text, stillSaved ? draft.baseline : '');
  }

  watch([origin, text, baseline], () => {
    if (draftTimer) clearTimeout(draftTimer);
    draftTimer = setTimeout(() => storeDraft({ origin: origin.value, text: text.value, baseline: baseline.value }), DRAFT_DELAY_MS);
  });

  return {
    sweep,
    saved,
    origin,
    text,
    value,
    syntaxError,
    formEditable,
    problems,
    checkedText,
    validating,
    starting,
    naming,
    isOpen,
    dirty,
    pending,
    valid,
    savedEntry,
    name,
    nodeIds,
    setText,
    change,
    set,
    scheduleValidation,
    validateNow,
    openPreset,
    openSaved,
    createNew,
    openFromRun,
    save,
    requestSave,
    saveAs,
    removeSaved,
    runCurrent,
    restoreDraft,
  };
});
