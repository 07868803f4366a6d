// A form field bound to one path of the experiment being edited.
import { computed, type ComputedRef } from 'vue';
import type { DocPath } from '../../stores/experiment-doc.js';
import { useExperimentsStore } from '../../stores/experiments.js';

export function valueAt(root: unknown, path: DocPath): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export interface BoundField {
  value: ComputedRef<unknown>;
  set(value: unknown): void;
}

export function useField(path: DocPath | (() => DocPath)): BoundField {
  const store = useExperimentsStore();
  const resolve = typeof path === 'function' ? path : () => path;
  return {
    value: computed(() => valueAt(store.value, resolve())),
    set: (value) => store.set(resolve(), value),
  };
}
