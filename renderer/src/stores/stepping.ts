// One stepping session of a simulated experiment (mode: simulate), as in Oddity: the lab
// holds the session; this store holds what the lab last showed of it (a StepView) and sends
// the person's choices. One call at a time: a second click while the lab re-executes a path
// would race the first, so it is refused until the first answer is in.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { StepChoice, StepView } from '../../../core/api/stepping-contract.js';
import { transport } from '../transport/index.js';
import { useUiStore } from './ui.js';

/** "Run until a check breaks" takes at most this many steps per press. */
export const RUN_STEPS = 2000;

export const useSteppingStore = defineStore('stepping', () => {
  /** The bulk of a view (every node's state, the tree) is replaced whole, never mutated: shallow. */
  const view = shallowRef<StepView | null>(null);
  /** What the lab is doing for us now ("Delivering #12…"), or null. */
  const busy = ref<string | null>(null);
  /** Why the session could not be shown (it ended, the lab restarted…). */
  const error = ref<string | null>(null);
  /** The experiment the session steps, to start it again. */
  const text = ref<string | null>(null);
  /** Tree nodes already saved as runs, so comparing twice does not record twice. */
  const savedRuns = shallowRef<ReadonlyMap<number, number>>(new Map());

  const sessionId = computed(() => view.value?.sessionId ?? null);
  const currentNode = computed(() => view.value?.tree.find((n) => n.id === view.value!.current) ?? null);

  async function call<T>(what: string, work: () => Promise<T>): Promise<T | null> {
    if (busy.value) return null;
    busy.value = what;
    try {
      const result = await work();
      error.value = null;
      return result;
    } catch (e) {
      useUiStore().reportError(what.replace(/…$/, ' failed'), e);
      return null;
    } finally {
      busy.value = null;
    }
  }

  function adopt(next: StepView | null): StepView | null {
    if (next) {
      if (view.value?.sessionId !== next.sessionId) savedRuns.value = new Map();
      view.value = next;
    }
    return next;
  }

  /** Starts a session of the experiment's text (closing the one open); resolves with its id. */
  async function open(experimentText: string): Promise<number | null> {
    const before = view.value?.sessionId ?? null;
    const opened = adopt(await call('Opening the simulation…', () => transport().call('step.open', { text: experimentText })));
    if (!opened) return null;
    text.value = experimentText;
    if (before !== null && before !== opened.sessionId) void transport().call('step.close', { sessionId: before }).catch(() => undefined);
    return opened.sessionId;
  }

  async function choose(choice: StepChoice): Promise<void> {
    const id = sessionId.value;
    if (id === null) return;
    adopt(await call(`${busyText(choice)}…`, () => transport().call('step.choose', { sessionId: id, choice })));
  }

  /** Takes `next` until a check breaks (or RUN_STEPS steps, or the end of the experiment). */
  async function runUntilBroken(maxSteps = RUN_STEPS): Promise<void> {
    const id = sessionId.value;
    if (id === null) return;
    adopt(await call('Running until a check breaks…', () => transport().call('step.run', { sessionId: id, maxSteps })));
  }

  async function goto(treeNode: number): Promise<void> {
    const id = sessionId.value;
    if (id === null || treeNode === view.value?.current) return;
    adopt(await call('Going to that step…', () => transport().call('step.goto', { sessionId: id, treeNode })));
  }

  /** Back one step: to the parent of the current tree node (its other branches stay). */
  async function back(): Promise<void> {
    const parent = currentNode.value?.parent;
    if (parent !== null && parent !== undefined) await goto(parent);
  }

  /**
   * Shows a session opened elsewhere (a link, a reload): the lab re-executes its path to `at`
   * (the root when not given). A session the lab no longer has is said plainly.
   */
  async function restore(id: number, at: number | null): Promise<void> {
    if (busy.value) return;
    busy.value = 'Loading the stepping session…';
    try {
      adopt(await transport().call('step.goto', { sessionId: id, treeNode: at ?? 0 }));
      error.value = null;
    } catch (e) {
      const why = (e as Error).message.replace(/^./, (c) => c.toUpperCase()).replace(/\.?$/, '.');
      error.value = `${why} Open a mode: simulate experiment and press Step to start one.`;
    } finally {
      busy.value = null;
    }
  }

  /** Records the path from the root to `treeNode` as a run; resolves with its id. */
  async function save(treeNode: number): Promise<number | null> {
    const known = savedRuns.value.get(treeNode);
    if (known !== undefined) return known;
    const id = sessionId.value;
    if (id === null) return null;
    const saved = await call('Saving the branch as a run…', () => transport().call('step.save', { sessionId: id, treeNode }));
    if (!saved) return null;
    savedRuns.value = new Map(savedRuns.value).set(treeNode, saved.runId);
    return saved.runId;
  }

  /** Saves both branches (each once) and resolves with their run ids, for the compare view. */
  async function saveBoth(a: number, b: number): Promise<[number, number] | null> {
    const first = await save(a);
    const second = first === null ? null : await save(b);
    return first === null || second === null ? null : [first, second];
  }

  async function close(): Promise<void> {
    const id = sessionId.value;
    view.value = null;
    text.value = null;
    savedRuns.value = new Map();
    if (id !== null) await transport().call('step.close', { sessionId: id }).catch(() => undefined);
  }

  return { view, busy, error, text, savedRuns, sessionId, currentNode, open, choose, runUntilBroken, goto, back, restore, save, saveBoth, close };
});

function busyText(choice: StepChoice): string {
  switch (choice.kind) {
    case 'next':
      return 'Taking the next event';
    case 'deliver':
      return `Delivering #${choice.messageId}`;
    case 'drop':
      return `Dropping #${choice.messageId}`;
    case 'duplicate':
      return `Duplicating #${choice.messageId}`;
    case 'fire':
      return `Firing ${choice.node}'s ${choice.timer} timer`;
  }
}
