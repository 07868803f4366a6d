// One node's share of the key-value store. Each key carries a version, raised by its owner on
// every change, so a copy that arrives twice or late (a replica update, a hand-over) never
// overwrites a newer value.
import type { Body } from '../../sdk/index.js';
import { ERROR_KEY_DOES_NOT_EXIST, ERROR_PRECONDITION_FAILED, errorBody } from '../raft/kv.js';
import type { ClientCommand } from '../raft/types.js';
import { keyText } from './hash.js';

export interface ShardEntry {
  key: unknown;
  value: unknown;
  version: number;
}

/** Key text (its JSON) → entry. */
export type ShardStore = Map<string, ShardEntry>;

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Runs a read, write or cas at the key's owner; a change comes back as the entry to replicate. */
export function applyAtOwner(store: ShardStore, command: ClientCommand): { answer: Body; changed?: ShardEntry } {
  const text = keyText(command.key);
  const entry = store.get(text);
  if (command.op === 'read') return { answer: entry ? { type: 'read_ok', value: entry.value } : errorBody(ERROR_KEY_DOES_NOT_EXIST, 'key does not exist') };
  if (command.op === 'cas') {
    if (!entry) return { answer: errorBody(ERROR_KEY_DOES_NOT_EXIST, 'key does not exist') };
    if (!sameValue(entry.value, command.from)) {
      return { answer: errorBody(ERROR_PRECONDITION_FAILED, `expected ${JSON.stringify(command.from)}, found ${JSON.stringify(entry.value)}`) };
    }
  }
  const changed = { key: command.key, value: command.op === 'write' ? command.value : command.to, version: (entry?.version ?? 0) + 1 };
  store.set(text, changed);
  return { answer: { type: `${command.op}_ok` }, changed };
}

/** Keeps the copy if it is newer than ours; true when it was taken. */
export function mergeEntry(store: ShardStore, entry: ShardEntry): boolean {
  const text = keyText(entry.key);
  if ((store.get(text)?.version ?? 0) >= entry.version) return false;
  store.set(text, { key: entry.key, value: entry.value, version: entry.version });
  return true;
}

/** Entries from a message body, skipping anything malformed. */
export function entriesFrom(body: Body): ShardEntry[] {
  const list = Array.isArray(body.entries) ? body.entries : [];
  return list.filter((e): e is ShardEntry => typeof e === 'object' && e !== null && 'key' in e && typeof (e as ShardEntry).version === 'number');
}
