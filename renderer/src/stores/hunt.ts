// The hunt the window follows: one experiment simulated once per seed in the lab, its
// progress pushed as 'hunt.progress' events (a few a second at most). A view of it is
// replaced whole on each event; a slow poll covers events lost with a dropped connection.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { HuntView } from '../../../core/api/hunt-contract.js';
import { transport } from '../transport/index.js';
import { useUiStore } from './ui.js';

export interface HuntRequest {
  text: string;
  from: number;
  to: number;
  parallel: number;
  stopAtFirst: boolean;
}

const POLL_MS = 3000;

export const useHuntStore = defineStore('hunt', () => {
  const view = shallowRef<HuntView | null>(null);
  const error = ref<string | null>(null);
  const starting = ref(false);
  /** The hunt shown: events of other hunts are kept aside (one may arrive before its start resolves). */
  const huntId = ref<number | null>(null);
  const lastSeen = new Map<number, HuntView>();
  let unlisten: (() => void) | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | null = null;

  /** The later of two views of one hunt: progress only goes forward, and the end comes last. */
  function later(a: HuntView | undefined, b: HuntView): HuntView {
    if (!a) return b;
    if (a.running !== b.running) return a.running ? b : a;
    return b.done >= a.done ? b : a;
  }

  function adopt(next: HuntView): void {
    const kept = later(lastSeen.get(next.huntId), next);
    lastSeen.set(next.huntId, kept);
    if (next.huntId !== huntId.value) return;
    view.value = kept;
    schedulePoll();
  }

  function listen(): void {
    unlisten ??= transport().on('hunt.progress', adopt);
  }

  function schedulePoll(): void {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
    if (!view.value?.running) return;
    const id = view.value.huntId;
    pollTimer = setTimeout(() => {
      pollTimer = null;
      if (huntId.value === id) void transport().call('hunt.get', { huntId: id }).then(adopt, () => schedulePoll());
    }, POLL_MS);
  }

  async function start(request: HuntRequest): Promise<number | null> {
    if (starting.value) return null;
    listen();
    starting.value = true;
    try {
      const started = await transport().call('hunt.start', { text: request.text, from: request.from, to: request.to, parallel: request.parallel, stopAtFirst: request.stopAtFirst });
      huntId.value = started.huntId;
      error.value = null;
      adopt(started);
      return started.huntId;
    } catch (e) {
      useUiStore().reportError('The hunt did not start', e);
      return null;
    } finally {
      starting.value = false;
    }
  }

  /** Shows a hunt by id (a link, a reload, coming back to it). */
  async function show(id: number): Promise<void> {
    listen();
    if (huntId.value !== id) view.value = lastSeen.get(id) ?? null;
    huntId.value = id;
    try {
      adopt(await transport().call('hunt.get', { huntId: id }));
      error.value = null;
    } catch (e) {
      if (huntId.value === id) error.value = (e as Error).message;
    }
  }

  async function stop(): Promise<void> {
    const id = huntId.value;
    if (id === null) return;
    try {
      await transport().call('hunt.stop', { huntId: id });
    } catch (e) {
      useUiStore().reportError('Could not stop the hunt', e);
    }
  }

  function dispose(): void {
    unlisten?.();
    unlisten = null;
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
  }

  return { view, error, starting, huntId, start, show, stop, dispose };
});
