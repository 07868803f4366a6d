// A node's protocol state S as lines to read: one key a line, indented by depth, small
// objects on one line, and each line marked when the last step changed it. The lab names
// what changed as dotted JSON paths ("term", "log.3.value"); a line is changed when its own
// path, a path inside it (shown on the same line) or the path of a whole value around it is.

export interface StateLine {
  path: string;
  depth: number;
  key: string;
  text: string;
  changed: boolean;
  /** A gap in a long list: how many entries are not shown. */
  skipped?: number;
}

/** A value at most this long (as JSON) is shown on its key's line. */
const INLINE_CHARS = 64;
/** A long list shows its first and last entries, and every changed one. */
const LIST_ENDS = 40;

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

export function stateLines(state: unknown, changedPaths: readonly string[]): { lines: StateLine[]; removed: string[] } {
  const changed = new Set(changedPaths);
  const all = changed.has('');
  /** The path or one around it changed: the whole value is new. */
  const wholeChanged = (path: string) => {
    if (all || changed.has(path)) return true;
    for (let i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) if (changed.has(path.slice(0, i))) return true;
    return false;
  };
  const inside = (path: string) => changedPaths.some((p) => p.startsWith(`${path}.`));
  const lines: StateLine[] = [];

  const walk = (value: unknown, path: string, key: string, depth: number): void => {
    const whole = wholeChanged(path);
    if (value === null || typeof value !== 'object') {
      lines.push({ path, depth, key, text: JSON.stringify(value) ?? String(value), changed: whole });
      return;
    }
    const compact = JSON.stringify(value);
    if (compact.length <= INLINE_CHARS) {
      lines.push({ path, depth, key, text: compact, changed: whole || inside(path) });
      return;
    }
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    lines.push({ path, depth, key, text: Array.isArray(value) ? `[${entries.length} entries]` : `{${entries.length} keys}`, changed: whole });
    let shown = entries.map((_, i) => i);
    if (Array.isArray(value) && entries.length > 2 * LIST_ENDS) {
      shown = shown.filter((i) => i < LIST_ENDS || i >= entries.length - LIST_ENDS || whole || wholeChanged(join(path, String(i))) || inside(join(path, String(i))));
    }
    let last = -1;
    for (const i of shown) {
      if (i > last + 1) lines.push({ path: join(path, `…${last + 1}`), depth: depth + 1, key: '…', text: `${i - last - 1} entries not shown`, changed: false, skipped: i - last - 1 });
      walk(entries[i][1], join(path, entries[i][0]), entries[i][0], depth + 1);
      last = i;
    }
  };

  if (state !== null && typeof state === 'object' && !Array.isArray(state)) {
    for (const [key, value] of Object.entries(state)) walk(value, key, key, 0);
  } else {
    walk(state, '', 'state', 0);
  }
  const present = new Set(lines.map((l) => l.path));
  // A changed path that leads nowhere now was removed by the step (a vote withdrawn, a key deleted).
  const removed = changedPaths.filter((p) => p !== '' && !present.has(p) && !resolves(state, p));
  return { lines, removed };
}

function resolves(state: unknown, path: string): boolean {
  let at: unknown = state;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object' || !(part in (at as object))) return false;
    at = (at as Record<string, unknown>)[part];
  }
  return true;
}
