// Which run ids can be compared: two to four different runs. The CLI and the API both ask
// here, so they refuse the same things with the same words.

export const MIN_COMPARED = 2;
export const MAX_COMPARED = 4;

/** Why these ids cannot be compared, or null when they can. Existence is checked by the caller. */
export function compareIdsProblem(ids: readonly number[]): string | null {
  if (ids.length < MIN_COMPARED) return `compare needs at least ${MIN_COMPARED} runs; got ${ids.length === 0 ? 'none' : `only run ${ids[0]}`}`;
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) return `run ${id} is given twice: a run cannot be compared with itself`;
    seen.add(id);
  }
  if (ids.length > MAX_COMPARED) return `compare takes at most ${MAX_COMPARED} runs; got ${ids.length}`;
  return null;
}
