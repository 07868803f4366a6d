// A set of arbitrary JSON values (Maelstrom's messages and elements may be of any type),
// compared by their JSON text.
export type ValueSet = Map<string, unknown>;

export const valueKey = (value: unknown): string => JSON.stringify(value ?? null);

/** Adds the value; true when it was new. */
export function addValue(set: ValueSet, value: unknown): boolean {
  const key = valueKey(value);
  if (set.has(key)) return false;
  set.set(key, value);
  return true;
}

export const valuesOf = (set: ValueSet): unknown[] => [...set.values()];
