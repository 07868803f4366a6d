// Durations and bandwidths as people write them in experiment files.
// Durations come out in milliseconds, bandwidths in bytes per second.

/** Thrown for a value that is not a valid duration or bandwidth. */
export class UnitError extends Error {
  /** What was expected, without the received value: "expected a duration like …". */
  readonly expected: string;
  readonly received: unknown;

  constructor(expected: string, received: unknown) {
    super(`${expected}, got ${describeValue(received)}`);
    this.name = 'UnitError';
    this.expected = expected;
    this.received = received;
  }
}

export const DURATION_FORMS =
  'a duration like "500ms", "10s", "2m", "1.5s", "250us", "1h" or a number of milliseconds';

export const BANDWIDTH_FORMS =
  'a bandwidth like "1MB/s", "512KiB/s", "10Mbit/s", "10Mbps", "1Gbps" or a number of bytes per second';

/**
 * The longest duration anywhere in an experiment: 24h. Node's timers overflow past
 * 2^31 - 1 ms (about 24.8 days) and then fire at once, over and over.
 */
export const MAX_DURATION_MS = 24 * 3_600_000;

export const MAX_DURATION_TEXT = '24h';

/** The expectation of a UnitError for a duration longer than MAX_DURATION_MS. */
export const DURATION_TOO_LONG = `expected a duration of at most ${MAX_DURATION_TEXT}`;

// In microseconds so that every multiplier is an integer (see scaleDecimal).
const US_PER_DURATION_UNIT: Record<string, number> = {
  us: 1,
  'µs': 1, // U+00B5 MICRO SIGN
  'μs': 1, // U+03BC GREEK SMALL LETTER MU: looks identical, so accept both
  ms: 1000,
  s: 1e6,
  m: 60e6,
  h: 3600e6,
};

// A non-negative decimal without exponent: "1e3s" is more likely a typo than intent.
const DECIMAL = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const DURATION_PATTERN = new RegExp(String.raw`^${DECIMAL}\s*(us|µs|μs|ms|s|m|h)$`);

/** Parses "1.5s", "250us", "2m" or a plain number of ms into milliseconds, from 0 to MAX_DURATION_MS. */
export function parseDurationMs(value: unknown): number {
  const ms = parseUnboundedDurationMs(value);
  if (ms > MAX_DURATION_MS) throw new UnitError(DURATION_TOO_LONG, value);
  return ms;
}

function parseUnboundedDurationMs(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UnitError(`expected ${DURATION_FORMS}`, value);
    if (value < 0) throw new UnitError('expected a duration that is not negative', value);
    return value;
  }
  if (typeof value !== 'string') throw new UnitError(`expected ${DURATION_FORMS}`, value);
  const text = value.trim();
  if (text.startsWith('-')) throw new UnitError('expected a duration that is not negative', value);
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new UnitError(`expected ${DURATION_FORMS}`, value);
  return scaleDecimal(match[1], US_PER_DURATION_UNIT[match[2]], 1000);
}

// Decimal prefixes are powers of 1000 (k and K alike, as in "kbit/s" and "KB/s");
// binary prefixes (Ki, Mi, Gi) are powers of 1024. Lower-case m would mean milli, so it is refused.
const PREFIX_MULTIPLIER: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
};

const BITS_PER_UNIT: Record<string, number> = {
  'B/s': 8,
  'bit/s': 1,
  bps: 1,
};

const BANDWIDTH_PATTERN = new RegExp(String.raw`^${DECIMAL}\s*(Ki|Mi|Gi|k|K|M|G)?(B/s|bit/s|bps)$`);

/** Parses "1MB/s", "10Mbps", "512KiB/s" or a plain number of bytes/s into bytes per second (> 0). */
export function parseBandwidthBytesPerSec(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UnitError(`expected ${BANDWIDTH_FORMS}`, value);
    if (value <= 0) throw new UnitError('expected a bandwidth greater than 0 (use null for unlimited)', value);
    return value;
  }
  if (typeof value !== 'string') throw new UnitError(`expected ${BANDWIDTH_FORMS}`, value);
  const text = value.trim();
  if (text.startsWith('-')) {
    throw new UnitError('expected a bandwidth greater than 0 (use null for unlimited)', value);
  }
  const match = BANDWIDTH_PATTERN.exec(text);
  if (!match) throw new UnitError(`expected ${BANDWIDTH_FORMS}`, value);
  const bitsPerUnit = BITS_PER_UNIT[match[3]];
  const bytesPerSec = scaleDecimal(match[1], PREFIX_MULTIPLIER[match[2] ?? ''] * bitsPerUnit, 8);
  if (bytesPerSec <= 0) {
    throw new UnitError('expected a bandwidth greater than 0 (use null for unlimited)', value);
  }
  return bytesPerSec;
}

/**
 * decimal × multiplier ÷ divisor with a single rounding, so "1.1s" is exactly 1100 ms
 * rather than 1.1 × 1000 = 1100.0000000000002.
 */
function scaleDecimal(decimal: string, multiplier: number, divisor: number): number {
  const [whole, fraction = ''] = decimal.split('.');
  const digits = Number(`${whole}${fraction}`);
  return (digits * multiplier) / (divisor * 10 ** fraction.length);
}

/** Writes milliseconds back in the largest whole unit, for messages: 90000 → "90s", 1500 → "1500ms", 0.25 → "250us". */
export function formatDurationMs(ms: number): string {
  if (ms !== 0 && Number.isInteger(ms / 3_600_000)) return `${ms / 3_600_000}h`;
  if (ms !== 0 && Number.isInteger(ms / 60_000)) return `${ms / 60_000}m`;
  if (ms !== 0 && Number.isInteger(ms / 1000)) return `${ms / 1000}s`;
  if (ms >= 1 || ms === 0) return `${ms}ms`;
  return `${Math.round(ms * 1000)}us`;
}

const MAX_DESCRIBED_LENGTH = 60;

/** Short JSON of a value, for "got …" in error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  return text.length > MAX_DESCRIBED_LENGTH ? `${text.slice(0, MAX_DESCRIBED_LENGTH - 1)}…` : text;
}

const SIZE_PATTERN = new RegExp(String.raw`^${DECIMAL}\s*(Ki|Mi|Gi|k|K|M|G)?B$`);
export const SIZE_FORMS = 'a size like "8MiB", "512KiB", "4MB" or a number of bytes';

/** Parses "8MiB", "512KB" or a plain number of bytes into a whole number of bytes (> 0). */
export function parseBytes(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) throw new UnitError(`expected ${SIZE_FORMS}, greater than 0`, value);
    return Math.round(value);
  }
  if (typeof value !== 'string') throw new UnitError(`expected ${SIZE_FORMS}`, value);
  const match = SIZE_PATTERN.exec(value.trim());
  if (!match) throw new UnitError(`expected ${SIZE_FORMS}`, value);
  const bytes = Math.round(scaleDecimal(match[1], PREFIX_MULTIPLIER[match[2] ?? ''], 1));
  if (bytes <= 0) throw new UnitError(`expected ${SIZE_FORMS}, greater than 0`, value);
  return bytes;
}
