// Which lines of each experiment differ from the baseline's (the first run's): a line
// diff by longest common subsequence, which experiments of a few dozen lines afford.

export interface DiffLine {
  text: string;
  changed: boolean;
}

/** For each of a and b, whether each line is outside their longest common subsequence. */
export function lineChanges(a: string[], b: string[]): { a: boolean[]; b: boolean[] } {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const changedA = new Array<boolean>(n).fill(true);
  const changedB = new Array<boolean>(m).fill(true);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      changedA[i++] = false;
      changedB[j++] = false;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) i++;
    else j++;
  }
  return { a: changedA, b: changedB };
}

/** Each text's lines, marked where they differ from the first text (the first: where it differs from any other). */
export function diffAgainstFirst(texts: string[]): DiffLine[][] {
  const lines = texts.map((t) => t.replace(/\n$/, '').split('\n'));
  const base = lines[0];
  const baseChanged = new Array<boolean>(base.length).fill(false);
  const out: DiffLine[][] = [base.map((text) => ({ text, changed: false }))];
  for (const other of lines.slice(1)) {
    const c = lineChanges(base, other);
    c.a.forEach((changed, k) => (baseChanged[k] ||= changed));
    out.push(other.map((text, k) => ({ text, changed: c.b[k] })));
  }
  out[0] = base.map((text, k) => ({ text, changed: baseChanged[k] }));
  return out;
}
