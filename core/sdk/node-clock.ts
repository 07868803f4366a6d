// A node's own clock: real time shifted by a skew and running fast or slow by a drift,
// as the experiment's `nodes.clock` settings ask. Protocols see only this clock.
import { epochNowMs } from './epoch.js';

export interface ClockSettings {
  skewMs: number;
  driftPpm: number;
}

export function nodeClock({ skewMs, driftPpm }: ClockSettings, realNow: () => number = epochNowMs): () => number {
  if (skewMs === 0 && driftPpm === 0) return realNow;
  const startedAt = realNow();
  const rate = 1 + driftPpm / 1e6;
  return () => startedAt + skewMs + (realNow() - startedAt) * rate;
}

export function clockSettingsFromEnv(env: NodeJS.ProcessEnv): ClockSettings {
  return { skewMs: Number(env.DISTLAB_CLOCK_SKEW_MS ?? 0) || 0, driftPpm: Number(env.DISTLAB_CLOCK_DRIFT_PPM ?? 0) || 0 };
}
