// The lab's address of a recorded run at one moment, as the lab's router reads it
// (renderer/src/stores/route.ts): #/runs/12?t=5.250s.

export function runMomentAddress(runId: number, tMs: number | null): string {
  return `#/runs/${runId}${tMs === null ? '' : `?t=${seconds(tMs)}s`}`;
}

/** 5250 → "5.250", 5250.125 → "5.250125": ms always, µs when there are any. */
function seconds(ms: number): string {
  return (Math.round(ms * 1000) / 1e6).toFixed(6).replace(/(\.\d{3}\d*?)0+$/, '$1');
}
