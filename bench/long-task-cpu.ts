// The renderer main thread's long tasks in a Chromium trace, by wall time and by the
// thread's own CPU time: a task that took 900 ms while its thread ran 20 ms was waiting
// for a core, not working.
export interface LongTaskCpu {
  count: number;
  wallMs: number;
  cpuMs: number;
}

interface TraceEvent {
  name?: string;
  ph?: string;
  pid?: number;
  tid?: number;
  dur?: number;
  tdur?: number;
  ts?: number;
  args?: { name?: string };
}

/** Of the renderers' main threads, the busiest is the measured page's (the blank page beside it idles). */
export function longTaskCpu(traceJson: string, minMs = 50): LongTaskCpu {
  const parsed = JSON.parse(traceJson) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  // 'RunTask' comes with the devtools categories; with 'toplevel' alone the same task is ThreadControllerImpl::RunTask.
  const taskName = events.some((e) => e.name === 'RunTask') ? 'RunTask' : 'ThreadControllerImpl::RunTask';
  const tasks = outermost(events.filter((e) => e.name === taskName && e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`)));
  const busy = new Map<string, number>();
  for (const e of tasks) busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
  const busiest = [...busy.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const long = tasks.filter((e) => (e.dur ?? 0) > minMs * 1000 && `${e.pid}:${e.tid}` === busiest);
  return {
    count: long.length,
    wallMs: long.reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000,
    cpuMs: long.reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000,
  };
}

/** Tasks not nested in an earlier one of the same thread (a task may run another inside it). */
function outermost(tasks: TraceEvent[]): TraceEvent[] {
  const endByThread = new Map<string, number>();
  const out: TraceEvent[] = [];
  for (const task of [...tasks].sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0))) {
    const thread = `${task.pid}:${task.tid}`;
    if ((task.ts ?? 0) < (endByThread.get(thread) ?? -Infinity)) continue;
    endByThread.set(thread, (task.ts ?? 0) + (task.dur ?? 0));
    out.push(task);
  }
  return out;
}
