// The address of what the window shows, in location.hash: #/experiments, #/runs, #/runs/12,
// #/runs/12?t=5.250s for one moment of a recorded run, #/compare?runs=3,4, #/sweeps/2,
// #/step/4?at=17 (stepping session 4 at node 17 of its branch tree) and #/hunts/3. Opening such a link shows that
// view (at that moment); changing the view changes the hash; moving the replay cursor
// rewrites `t` in place (replaceState, at most a few times a second), so links can be copied.
import { shallowRef, watch } from 'vue';
import { parseDurationMs } from '../../../core/experiment/units.js';
import { useRunsStore } from './runs.js';
import { useUiStore, type View } from './ui.js';

export type Route =
  | { kind: 'experiments' }
  | { kind: 'runs' }
  | { kind: 'run'; runId: number; tMs: number | null; badTime?: string }
  | { kind: 'compare'; runIds: number[] }
  | { kind: 'sweep'; sweepId: number }
  | { kind: 'step'; sessionId: number; at: number | null }
  | { kind: 'hunt'; huntId: number };

const isId = (n: number) => Number.isSafeInteger(n) && n > 0;
/** Stepping sessions and hunts are numbered by the lab from 0 or 1; either is an address. */
const isIndex = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** A hash that is not a page of the lab: null. */
export function parseRoute(hash: string): Route | null {
  const text = hash.replace(/^#/, '');
  if (text === '' || text === '/' || text === '/experiments') return { kind: 'experiments' };
  if (text === '/runs') return { kind: 'runs' };
  const compare = /^\/compare\?runs=([\d,]+)$/.exec(text);
  if (compare) {
    const runIds = compare[1].split(',').filter(Boolean).map(Number);
    return runIds.length >= 2 && runIds.length <= 4 && runIds.every(isId) ? { kind: 'compare', runIds } : null;
  }
  const step = /^\/step\/(\d+)(?:\?at=(\d+))?$/.exec(text);
  if (step) return isIndex(Number(step[1])) ? { kind: 'step', sessionId: Number(step[1]), at: step[2] === undefined ? null : Number(step[2]) } : null;
  const hunt = /^\/hunts\/(\d+)$/.exec(text);
  if (hunt) return isIndex(Number(hunt[1])) ? { kind: 'hunt', huntId: Number(hunt[1]) } : null;
  const sweep = /^\/sweeps\/(\d+)$/.exec(text);
  if (sweep) return isId(Number(sweep[1])) ? { kind: 'sweep', sweepId: Number(sweep[1]) } : null;
  const m = /^\/runs\/(\d+)(?:\?(.*))?$/.exec(text);
  if (!m) return null;
  const runId = Number(m[1]);
  if (!Number.isSafeInteger(runId) || runId <= 0) return null;
  const t = new URLSearchParams(m[2] ?? '').get('t');
  if (t === null) return { kind: 'run', runId, tMs: null };
  const tMs = parseTime(t);
  return tMs === null ? { kind: 'run', runId, tMs: null, badTime: t } : { kind: 'run', runId, tMs };
}

/** "5.250s", "5250ms", or a number of ms, as `distlab replay --at` reads them. */
function parseTime(text: string): number | null {
  try {
    const trimmed = text.trim();
    return parseDurationMs(/^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed);
  } catch {
    return null;
  }
}

export function formatRoute(view: View, tMs: number | null = null): string {
  if (view.kind === 'experiments') return '#/experiments';
  if (view.kind === 'runs') return '#/runs';
  if (view.kind === 'compare') return `#/compare?runs=${view.runIds.join(',')}`;
  if (view.kind === 'sweep') return `#/sweeps/${view.sweepId}`;
  if (view.kind === 'step') return `#/step/${view.sessionId}`;
  if (view.kind === 'hunt') return `#/hunts/${view.huntId}`;
  return `#/runs/${view.runId}${tMs === null ? '' : `?t=${seconds(tMs)}s`}`;
}

/** 5250 → "5.250", 5250.125 → "5.250125": ms always, µs (the record's precision) when there are any. */
function seconds(ms: number): string {
  return (Math.round(ms * 1000) / 1e6).toFixed(6).replace(/(\.\d{3}\d*?)0+$/, '$1');
}

/** What a link asked of the run view it opened: the moment to show, or what was wrong with it. */
export const linkedMoment = shallowRef<{ runId: number; tMs: number | null; badTime?: string } | null>(null);

/** What a link asked of the stepping view it opened: the node of the branch tree to show. */
export const linkedStep = shallowRef<{ sessionId: number; at: number | null } | null>(null);

/** The stepping view moved to another node of its tree: the hash says so, without a history entry. */
export function routeStepNode(sessionId: number, treeNode: number): void {
  const ui = useUiStore();
  if (ui.view.kind !== 'step' || ui.view.sessionId !== sessionId) return;
  const hash = `${formatRoute(ui.view)}?at=${treeNode}`;
  if (location.hash !== hash) history.replaceState(history.state, '', hash);
}

const CURSOR_EVERY_MS = 250;
let cursorTimer: ReturnType<typeof setTimeout> | null = null;
let cursorWanted: { runId: number; tMs: number } | null = null;

/** The replay cursor moved: the hash says so within CURSOR_EVERY_MS, without a history entry. */
export function routeCursor(runId: number, tMs: number): void {
  cursorWanted = { runId, tMs };
  cursorTimer ??= setTimeout(() => {
    cursorTimer = null;
    const w = cursorWanted;
    const ui = useUiStore();
    if (!w || ui.view.kind !== 'run' || ui.view.runId !== w.runId) return;
    const hash = formatRoute(ui.view, w.tMs);
    if (location.hash !== hash) history.replaceState(history.state, '', hash);
  }, CURSOR_EVERY_MS);
}

/** The link to the run at tMs, as an address to share. */
export function momentLink(runId: number, tMs: number): string {
  return `${location.href.replace(/#.*$/, '')}${formatRoute({ kind: 'run', runId, live: false }, tMs)}`;
}

/** Keeps the hash and the ui store's view in step; returns the function that stops it. */
export function startRouting(): () => void {
  const ui = useUiStore();
  const runs = useRunsStore();

  const apply = () => {
    const route = parseRoute(location.hash);
    if (!route) {
      ui.toast('error', `The address ${location.hash} is not a page of the lab (try #/experiments, #/runs or #/runs/12?t=5.250s); showing the runs.`);
      ui.open({ kind: 'runs' });
      return;
    }
    if (route.kind === 'step') {
      linkedStep.value = { sessionId: route.sessionId, at: route.at };
      if (ui.view.kind !== 'step' || ui.view.sessionId !== route.sessionId) ui.open({ kind: 'step', sessionId: route.sessionId });
      return;
    }
    if (route.kind === 'compare' || route.kind === 'sweep' || route.kind === 'hunt') {
      if (formatRoute(ui.view) !== formatRoute(route)) ui.open(route);
      return;
    }
    if (route.kind !== 'run') {
      if (ui.view.kind !== route.kind) ui.open(route);
      return;
    }
    linkedMoment.value = { runId: route.runId, tMs: route.tMs, ...(route.badTime !== undefined && { badTime: route.badTime }) };
    if (ui.view.kind !== 'run' || ui.view.runId !== route.runId) ui.open({ kind: 'run', runId: route.runId, live: runs.isActive(route.runId) });
  };

  const stopView = watch(
    () => ui.view,
    (view) => {
      const current = parseRoute(location.hash);
      // The same page (a moment of the same run included) leaves the address as it is.
      if (current && current.kind === view.kind && (view.kind !== 'run' || (current.kind === 'run' && current.runId === view.runId)) && (view.kind === 'run' || formatRoute(current as View) === formatRoute(view))) return;
      if (view.kind !== 'run' || linkedMoment.value?.runId !== view.runId) linkedMoment.value = null;
      history.pushState(history.state, '', formatRoute(view));
    },
  );
  // A run opened from a link before the list of active runs arrived: follow it live if it is.
  const stopActive = watch(
    () => runs.active,
    (active) => {
      const view = ui.view;
      if (view.kind === 'run' && !view.live && active.includes(view.runId)) ui.open({ ...view, live: true });
    },
  );
  window.addEventListener('hashchange', apply);
  window.addEventListener('popstate', apply);
  if (location.hash && location.hash !== '#') apply();
  else history.replaceState(history.state, '', formatRoute(ui.view));
  return () => {
    stopView();
    stopActive();
    window.removeEventListener('hashchange', apply);
    window.removeEventListener('popstate', apply);
  };
}
