// Chart redraws share the animation frames instead of all landing in one. A live run bumps
// every chart at once; drawn together, seven charts made one long frame ten times a second.
// Queued here, each frame runs redraws until its budget is spent and leaves the rest to the
// next frames, so each chart still redraws at the run's pace but the frames stay short.

type Redraw = () => void;

/** Milliseconds of redrawing per frame, leaving the rest of a 16.7 ms frame to the browser. */
const BUDGET_MS = 8;

// A Set keeps the order of first request, and asking again for a queued redraw is a no-op.
const queue = new Set<Redraw>();
let frame = 0;

function runQueued(): void {
  frame = 0;
  const start = performance.now();
  for (const redraw of queue) {
    queue.delete(redraw);
    try {
      redraw();
    } catch (e) {
      console.error(e);
    }
    if (performance.now() - start >= BUDGET_MS) break;
  }
  if (queue.size > 0) frame = requestAnimationFrame(runQueued);
}

/** Runs `redraw` in an upcoming animation frame, once however often it is asked for before then. */
export function requestRedraw(redraw: Redraw): void {
  queue.add(redraw);
  if (!frame) frame = requestAnimationFrame(runQueued);
}

/** Forgets a queued redraw (its chart is going away). */
export function cancelRedraw(redraw: Redraw): void {
  queue.delete(redraw);
}
