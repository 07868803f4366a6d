// Recorded runs (status and counters only, never their data), which of them are running,
// and their latest status from `run.status` events. The list refreshes when a run ends.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ResultOf, RunStatusEvent } from '../../../core/api/contract.js';
import { transport } from '../transport/index.js';
import { isConnectionError, useUiStore } from './ui.js';

export type RunRow = ResultOf<'runs.list'>[number];
export type LiveStatus = RunStatusEvent['status'];

const ENDED: ReadonlySet<LiveStatus> = new Set(['completed', 'failed', 'interrupted']);
/** How often the connection is checked (and the active runs re-read) while nothing else talks. */
export const POLL_MS = 5000;

/** ", all 3 checks passed", ", 1 of 2 checks failed", ", its check passed", or nothing without checks. */
function checkSummary(total: number, failed: number): string {
  if (total === 0) return '';
  if (total === 1) return failed ? ', its check failed' : ', its check passed';
  return failed ? `, ${failed} of ${total} checks failed` : `, all ${total} checks passed`;
}

export const useRunsStore = defineStore('runs', () => {
  const list = shallowRef<RunRow[]>([]);
  const active = ref<number[]>([]);
  const liveStatus = ref<Record<number, LiveStatus>>({});
  const loaded = ref(false);
  const error = ref<string | null>(null);
  let refreshing: Promise<void> | null = null;
  let again = false;
  let unsubscribe: (() => void) | null = null;
  let poller: ReturnType<typeof setInterval> | null = null;

  /** Reads the list and the active runs; a refresh asked for during another runs after it. */
  function refresh(): Promise<void> {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      const ui = useUiStore();
      try {
        do {
          again = false;
          const api = transport();
          const [rows, activeIds] = await Promise.all([api.call('runs.list', null), api.call('run.active', null)]);
          list.value = [...rows].sort((a, b) => b.startedAtMs - a.startedAtMs || b.id - a.id);
          active.value = activeIds;
        } while (again);
        loaded.value = true;
        error.value = null;
        ui.connectionOk();
      } catch (e) {
        error.value = (e as Error).message;
        if (isConnectionError(e)) ui.connectionLost(error.value);
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  function onStatus(event: RunStatusEvent): void {
    liveStatus.value = { ...liveStatus.value, [event.runId]: event.status };
    if (ENDED.has(event.status)) {
      active.value = active.value.filter((id) => id !== event.runId);
      announceEnd(event);
      void refresh();
    } else if (!active.value.includes(event.runId)) {
      active.value = [...active.value, event.runId];
      if (!list.value.some((r) => r.id === event.runId)) void refresh();
    }
  }

  function announceEnd(event: RunStatusEvent): void {
    const ui = useUiStore();
    const name = event.summary?.name ?? list.value.find((r) => r.id === event.runId)?.name ?? 'run';
    const checks = Object.values(event.summary?.checks ?? {});
    const failed = checks.filter((c) => !c.valid).length;
    const checkText = checkSummary(checks.length, failed);
    const notice = event.notice ? ` — ${event.notice}` : '';
    if (event.status === 'interrupted' && stoppedHere.delete(event.runId)) {
      ui.toast(failed ? 'error' : 'info', `Run #${event.runId} ${name} stopped before its planned end${checkText}${notice}`);
      return;
    }
    const good = event.status === 'completed' && failed === 0;
    ui.toast(good ? 'success' : event.status === 'completed' ? 'info' : 'error', `Run #${event.runId} ${name} ${event.status}${checkText}${notice}`);
  }

  /** Runs the person stopped from this window: their end is news, not an error. */
  const stoppedHere = new Set<number>();
  async function stopRun(runId: number): Promise<void> {
    stoppedHere.add(runId);
    try {
      await transport().call('run.stop', { runId });
    } catch (e) {
      stoppedHere.delete(runId);
      throw e;
    }
  }

  /** A run this window just started: shown as active before its first status event. */
  function track(runId: number): void {
    if (!active.value.includes(runId)) active.value = [...active.value, runId];
    liveStatus.value = { ...liveStatus.value, [runId]: liveStatus.value[runId] ?? 'starting' };
    void refresh();
  }

  /** Listens to status events and checks the connection every POLL_MS; returns a stop function. */
  function start(): () => void {
    unsubscribe ??= transport().on('run.status', onStatus);
    poller ??= setInterval(() => void poll(), POLL_MS);
    void refresh();
    return stop;
  }

  /** A cheap call that tells whether the lab is still there; the list is re-read when something changed. */
  async function poll(): Promise<void> {
    const ui = useUiStore();
    const wasLost = ui.connection !== 'ok';
    try {
      const activeIds = await transport().call('run.active', null);
      ui.connectionOk();
      const changed = activeIds.length !== active.value.length || activeIds.some((id: number) => !active.value.includes(id));
      if (wasLost || changed) await refresh();
    } catch (e) {
      if (isConnectionError(e)) ui.connectionLost((e as Error).message);
    }
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
    if (poller) clearInterval(poller);
    poller = null;
  }

  const isActive = (runId: number): boolean => active.value.includes(runId);
  const byId = computed(() => new Map(list.value.map((r) => [r.id, r])));

  return { list, active, liveStatus, loaded, error, refresh, poll, track, start, stop, stopRun, isActive, byId, onStatus };
});
