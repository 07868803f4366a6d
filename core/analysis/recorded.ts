// The recorded rows the analyses read, as plain values (times in µs since the run's start).
export interface RecordedEvent {
  tUs: number;
  node: string;
  kind: string;
  data: any;
}

export interface RecordedFault {
  tUs: number;
  kind: string;
  detail: any;
}

export interface RecordedMetric {
  tUs: number;
  node: string;
  name: string;
  value: number;
}

export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

export function spread(values: number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]) };
}

export const msFromUs = (us: number) => Math.round(us) / 1000;
