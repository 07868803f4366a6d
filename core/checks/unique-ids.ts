// Maelstrom's unique-ids check: every acknowledged id is distinct. Ids may be any JSON value,
// so they are compared by their JSON text.
import type { HistoryOp } from './history.js';

export interface UniqueIdsResult {
  valid: boolean;
  /** Acknowledged generate operations. */
  acknowledged: number;
  /** Each id handed out more than once, with the operations that got it. */
  duplicates: Array<{ id: unknown; opIds: number[] }>;
}

export function checkUniqueIds(history: readonly HistoryOp[]): UniqueIdsResult {
  const byId = new Map<string, { id: unknown; opIds: number[] }>();
  let acknowledged = 0;
  for (const op of history) {
    if (op.f !== 'generate' || op.outcome !== 'ok') continue;
    acknowledged++;
    const text = JSON.stringify(op.detail.id);
    const entry = byId.get(text) ?? { id: op.detail.id, opIds: [] };
    entry.opIds.push(op.id);
    byId.set(text, entry);
  }
  const duplicates = [...byId.values()].filter((e) => e.opIds.length > 1);
  return { valid: duplicates.length === 0, acknowledged, duplicates };
}
