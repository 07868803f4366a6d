// Which anomalies each consistency model forbids, after Elle's table (Adya's definitions;
// strict-serializable adds real-time order). Orders that contradict themselves are always errors.
import type { CycleAnomaly } from './cycles.js';
import type { ItemAnomalyType } from './item-anomalies.js';

export type AnomalyType = CycleAnomaly | ItemAnomalyType;

const ALWAYS: AnomalyType[] = ['incompatible-order', 'duplicate-elements'];
const READ_UNCOMMITTED: AnomalyType[] = [...ALWAYS, 'G0'];
const READ_COMMITTED: AnomalyType[] = [...READ_UNCOMMITTED, 'G1a', 'G1b', 'G1c'];
const SNAPSHOT_ISOLATION: AnomalyType[] = [...READ_COMMITTED, 'G-single'];
const SERIALIZABLE: AnomalyType[] = [...SNAPSHOT_ISOLATION, 'G2-item'];

export const CONSISTENCY_MODELS = {
  'read-uncommitted': READ_UNCOMMITTED,
  'read-committed': READ_COMMITTED,
  'snapshot-isolation': SNAPSHOT_ISOLATION,
  'repeatable-read': SERIALIZABLE,
  serializable: SERIALIZABLE,
  'strict-serializable': [...SERIALIZABLE, 'G0-realtime', 'G1c-realtime', 'G-single-realtime', 'G2-item-realtime'],
} satisfies Record<string, AnomalyType[]>;

export type ConsistencyModel = keyof typeof CONSISTENCY_MODELS;

export function forbiddenBy(models: readonly string[]): Set<AnomalyType> {
  const forbidden = new Set<AnomalyType>();
  for (const m of models) {
    const list = (CONSISTENCY_MODELS as Record<string, AnomalyType[]>)[m];
    if (!list) throw new Error(`unknown consistency model '${m}'; the models are ${Object.keys(CONSISTENCY_MODELS).join(', ')}`);
    list.forEach((a) => forbidden.add(a));
  }
  return forbidden;
}
