// How form inputs turn text into YAML values and back. Whatever a person types is written
// as typed (a number when it looks like one), so the lab's validator, not the form, says
// what is wrong with it, next to the field.

/** '' → remove the key; '12' or '0.5' → a number; anything else → the string itself. */
export function valueFromText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^-?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}

/** For fields that are always text (names, program parameters given as strings): '' removes the key. */
export function stringFromText(text: string): string | undefined {
  return text.trim() === '' ? undefined : text;
}

/** For boolean parameters: "true" and "false" become booleans, anything else stays as typed. */
export function booleanFromText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  return stringFromText(text);
}

export function textFromValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const DURATION = /^(\d+(?:\.\d*)?|\.\d+)\s*(us|µs|ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration as the experiment file writes it ("3s", "500ms", 250) in ms; null when it is not one. */
export function durationMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const match = DURATION.exec(value.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]] : null;
}

/** A time for the experiment file: whole seconds as "3s", else ms with one decimal at most ("2.5s", "750ms"). */
export function durationText(ms: number): string {
  const whole = Math.round(ms);
  if (whole >= 1000 && whole % 100 === 0) return `${whole / 1000}s`;
  return `${whole}ms`;
}

/** A command line → argv: words split on spaces, with "double" or 'single' quotes grouping. */
export function argvFromText(text: string): string[] {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) argv.push(word);
  return argv;
}

export function textFromArgv(argv: unknown): string {
  if (!Array.isArray(argv)) return textFromValue(argv);
  return argv.map((arg) => (typeof arg === 'string' && (arg === '' || /[\s"']/.test(arg)) ? `"${arg}"` : String(arg))).join(' ');
}

/** "n1, n2 n3" → ['n1', 'n2', 'n3']. */
export function idsFromText(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** One id stays a scalar (`kill: n2`), several become a list (`kill: [n2, n3]`), none is removed. */
export function idsValue(ids: string[]): string | string[] | undefined {
  if (ids.length === 0) return undefined;
  return ids.length === 1 ? ids[0] : ids;
}

export function idsFromValue(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
