// Small values kept in this browser or app (localStorage), behind versioned keys so a later
// format can move to a new key instead of misreading an old one.
export const STORAGE_KEYS = {
  theme: 'distlab.theme.v1',
  savedExperiments: 'distlab.experiments.v1',
  draft: 'distlab.draft.v1',
} as const;

/** The part of the Web Storage API used here (localStorage in the app; a stand-in in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function storage(): KeyValueStorage | null {
  try {
    return (globalThis as { localStorage?: KeyValueStorage }).localStorage ?? null;
  } catch {
    // Reading localStorage throws when storage is disabled for the page.
    return null;
  }
}

export function readJson<T>(key: string, accept: (value: unknown) => value is T): T | null {
  const raw = storage()?.getItem(key);
  if (raw == null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return accept(value) ? value : null;
  } catch {
    return null;
  }
}

/** Returns an error message when the value could not be stored (quota, storage disabled). */
export function writeJson(key: string, value: unknown): string | null {
  const place = storage();
  if (!place) return 'this window cannot store data (localStorage is unavailable)';
  try {
    place.setItem(key, JSON.stringify(value));
    return null;
  } catch (error) {
    return `could not store it: ${(error as Error).message}`;
  }
}

export function removeKey(key: string): void {
  storage()?.removeItem(key);
}
