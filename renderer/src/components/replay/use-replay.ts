// The replay of an ended run: a cursor in run time that plays, pauses, steps from event to
// event and jumps between faults and elections; the run's state at the cursor (folded here,
// the same fold as the CLI's), the exact state with clocks and metrics from the lab
// (runs.stateAt), and the messages around the cursor, loaded in windows. Bulk data stays in
// plain arrays; only the cursor and a few small results are reactive.
import { computed, onBeforeUnmount, shallowRef, watch } from 'vue';
import type { MessagePoint, ReplayState } from '../../../../core/api/contract.js';
import type { RunModel } from '../../run-data/run-model.js';
import { transport } from '../../transport/index.js';
import { WindowLoader, type LoadedWindow } from '../charts/space-time/window-loader.js';
import { localStateAt, trackOf, type LocalState, type ReplayTrack } from './replay-fold.js';
import { marksOf, nextTime, stateChangeTimes, type Mark, type MarkKind } from './replay-marks.js';
import { flightsAt, typicalFlightMs, type FlightDot } from './flights.js';

export interface ReplaySource {
  runId: () => number;
  model: () => RunModel;
  /** Changes when the model's data does. */
  version: () => number;
  declared: () => string[];
  /** The run's span, ms: the cursor goes from 0 to it. */
  spanMs: () => number;
  checks: () => Record<string, unknown> | null;
  selected: () => string | null;
  /** Whether the replay is on (the run has ended and its data is here). */
  active: () => boolean;
}

export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20] as const;
/**
 * The messages loaded around the cursor, each side, ms: in-flight dots and steps come from
 * them. Small, so that a busy run's window is a small answer to parse (the loader asks for
 * twice this span).
 */
const WINDOW_MS = 50;
/** A dragged cursor rests after this long without a move, ms: only then are its messages asked for. */
const DRAG_REST_MS = 250;
/** The lab is asked for the exact state at most this often while the cursor moves, ms. */
const EXACT_EVERY_MS = 200;

export type Replay = ReturnType<typeof useReplay>;

export function useReplay(src: ReplaySource) {
  const cursorMs = shallowRef(0);
  const playing = shallowRef(false);
  const speed = shallowRef(1);
  /** Where the cursor was asked to go before the run's data arrived (a deep link). */
  let pendingSeek: number | null = null;
  let placed = false;
  /** The playback's animation frame, and when it last ran. */
  let frame = 0;
  let lastTick = 0;

  // ---------------------------------------------------------------- the fold's input and the marks
  const track = shallowRef<ReplayTrack>({ declared: [], events: [], faults: [] });
  const marks = shallowRef<Mark[]>([]);
  let changes: number[] = [];
  watch(
    () => [src.version(), src.model(), src.declared(), src.checks()] as const,
    () => {
      const m = src.model();
      track.value = trackOf(m.events, m.faults, src.declared());
      changes = stateChangeTimes(track.value);
      marks.value = marksOf(m.events, m.faults, src.checks());
    },
    { immediate: true },
  );

  const span = computed(() => Math.max(0, src.spanMs()));
  const local = computed<LocalState>(() => localStateAt(track.value, cursorMs.value));

  // ---------------------------------------------------------------- moving the cursor
  function seek(ms: number): void {
    const t = Math.min(Math.max(0, ms), span.value);
    if (t !== cursorMs.value) cursorMs.value = t;
  }

  /**
   * The cursor dragged along the bar: it goes where the pointer is at once, and the messages
   * around it are asked for once it rests (each window would be stale before it arrived).
   */
  let draggedAt = -Infinity;
  let dragRest: ReturnType<typeof setTimeout> | null = null;
  function drag(ms: number): void {
    draggedAt = performance.now();
    if (dragRest) clearTimeout(dragRest);
    dragRest = setTimeout(() => {
      dragRest = null;
      windowVersion.value++;
    }, DRAG_REST_MS);
    seek(ms);
  }

  /** Where a deep link or the run's end puts the cursor once the replay starts. */
  function place(ms: number | null): void {
    if (!src.active()) {
      pendingSeek = ms;
      return;
    }
    placed = true;
    seek(ms ?? span.value);
  }
  watch(
    () => src.active() && span.value > 0,
    (on) => {
      if (!on) {
        pause();
        return;
      }
      if (!placed) place(pendingSeek);
    },
    { immediate: true },
  );

  // A run that just ended may learn its final span a moment later: a cursor at the end stays there.
  watch(span, (now, before) => {
    if (placed && cursorMs.value === before) seek(now);
  });

  function tick(now: number): void {
    const dt = now - lastTick;
    lastTick = now;
    const next = cursorMs.value + dt * speed.value;
    if (next >= span.value) {
      seek(span.value);
      pause();
      return;
    }
    seek(next);
    frame = requestAnimationFrame(tick);
  }
  function play(): void {
    if (playing.value || !src.active()) return;
    if (cursorMs.value >= span.value) seek(0);
    playing.value = true;
    lastTick = performance.now();
    frame = requestAnimationFrame(tick);
  }
  function pause(): void {
    playing.value = false;
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
  }
  function toggle(): void {
    if (playing.value) pause();
    else play();
  }

  /** One event forward or back: a send, a receive (from the messages around the cursor), a fault or a state change. */
  function step(dir: 1 | -1): void {
    pause();
    const t = cursorMs.value;
    const candidates = [nextTime(changes, t, dir), nextTime(messageTimes(), t, dir)].filter((x): x is number => x !== null);
    if (candidates.length === 0) return seek(dir === 1 ? span.value : 0);
    seek(dir === 1 ? Math.min(...candidates) : Math.max(...candidates));
  }

  /** To the previous or next mark of the given kinds. */
  function jump(dir: 1 | -1, kinds: readonly MarkKind[] = ['fault', 'election']): boolean {
    const times = marks.value.filter((m) => kinds.includes(m.kind)).map((m) => m.ms);
    const t = nextTime(times, cursorMs.value, dir);
    if (t === null) return false;
    pause();
    seek(t);
    return true;
  }

  // ---------------------------------------------------------------- messages around the cursor
  const windowVersion = shallowRef(0);
  const loader = new WindowLoader(
    (runId, fromMs, toMs, limit) => transport().call('runs.messages', { runId, fromMs, toMs, limit }),
    () => windowVersion.value++,
    // Half a window each side: a busy run's answer stays small, and a step rarely leaves it.
    0.5,
  );
  let loaded: LoadedWindow | null = null;
  let loadedTimes: { of: MessagePoint[]; times: number[] } | null = null;
  watch(
    [cursorMs, windowVersion, () => src.active()],
    () => {
      if (!src.active()) return;
      const t = cursorMs.value;
      if (performance.now() - draggedAt < DRAG_REST_MS) {
        loaded = loader.held(src.runId());
        return;
      }
      loaded = loader.view(src.runId(), Math.max(0, t - WINDOW_MS), t + WINDOW_MS, span.value, false);
    },
    { immediate: true },
  );
  /** Sends and deliveries of the loaded window, sorted. */
  function messageTimes(): number[] {
    const messages = loaded?.messages ?? [];
    if (loadedTimes?.of === messages) return loadedTimes.times;
    const times: number[] = [];
    for (const m of messages) {
      times.push(m[4]);
      if (m[5] !== null) times.push(m[5]);
    }
    times.sort((a, b) => a - b);
    loadedTimes = { of: messages, times };
    return times;
  }
  const nodeSet = computed(() => new Set(src.declared()));
  let flightMs: { of: MessagePoint[]; ms: number } | null = null;
  const flights = computed<FlightDot[]>(() => {
    void windowVersion.value;
    const messages = loaded?.messages ?? [];
    if (flightMs?.of !== messages) flightMs = { of: messages, ms: typicalFlightMs(messages) };
    return flightsAt(messages, cursorMs.value, nodeSet.value, flightMs.ms);
  });

  // ---------------------------------------------------------------- the exact state, from the lab
  const exact = shallowRef<ReplayState | null>(null);
  const exactError = shallowRef<string | null>(null);
  let asking = false;
  let again = false;
  async function askExact(): Promise<void> {
    if (!src.active()) return;
    if (asking) {
      again = true;
      return;
    }
    asking = true;
    try {
      do {
        again = false;
        const tMs = cursorMs.value;
        const runId = src.runId();
        const node = src.selected() ?? undefined;
        try {
          const state = await transport().call('runs.stateAt', { runId, tMs, ...(node && { node }) });
          if (runId === src.runId()) {
            exact.value = state;
            exactError.value = null;
          }
        } catch (e) {
          exactError.value = (e as Error).message;
        }
      } while (again);
    } finally {
      asking = false;
    }
  }
  // One question at a time, and at most one every EXACT_EVERY_MS while the cursor moves: the
  // topology follows the cursor from the page's own fold meanwhile.
  let askedAt = -Infinity;
  let askTimer: ReturnType<typeof setTimeout> | null = null;
  function askSoon(): void {
    const wait = askedAt + EXACT_EVERY_MS - performance.now();
    if (wait > 0) {
      askTimer ??= setTimeout(() => {
        askTimer = null;
        askSoon();
      }, wait);
      return;
    }
    askedAt = performance.now();
    void askExact();
  }
  watch([cursorMs, () => src.selected(), () => src.active()], askSoon);
  /** Whether the lab's latest answer is for the cursor as it is now (else it is on its way). */
  const exactCurrent = computed(() => exact.value !== null && exact.value.t === cursorMs.value);

  // ---------------------------------------------------------------- keyboard
  function typing(target: EventTarget | null): boolean {
    const el = target as HTMLElement | null;
    return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
  }
  function onKey(event: KeyboardEvent): void {
    if (!src.active() || typing(event.target) || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (event.key === ' ' || event.code === 'Space') {
      // A focused button acts on space by itself (the play button, say).
      if ((event.target as HTMLElement | null)?.tagName === 'BUTTON') return;
      toggle();
    }
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      const dir = event.key === 'ArrowLeft' ? -1 : 1;
      if (event.shiftKey) jump(dir);
      else step(dir);
    } else if (event.key === 'Home') {
      pause();
      seek(0);
    } else if (event.key === 'End') {
      pause();
      seek(span.value);
    } else return;
    event.preventDefault();
  }
  window.addEventListener('keydown', onKey);
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', onKey);
    if (askTimer) clearTimeout(askTimer);
    if (dragRest) clearTimeout(dragRest);
    pause();
    loader.forget();
  });

  return { cursorMs, playing, speed, span, local, marks, flights, exact, exactCurrent, exactError, seek, drag, place, play, pause, toggle, step, jump };
}
