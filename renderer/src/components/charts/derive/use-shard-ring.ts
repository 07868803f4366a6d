// The sharded store's ring at the replay cursor (or now), kept up to date as a run's events
// arrive: the ring view and the keys-per-node chart read the same one.
import { shallowRef, watch, type ShallowRef } from 'vue';
import type { NodeEventPoint } from '../../../../../core/api/contract.js';
import type { RunModel } from '../../../run-data/run-model.js';
import { FilteredTail } from './incremental.js';
import { isShardState, shardRingAt, type ShardRing } from './shard-ring.js';

export function useShardRing(props: { model: RunModel; version: number; atMs: number | null }): ShallowRef<ShardRing | null> {
  let tail = new FilteredTail<NodeEventPoint>(isShardState);
  let tailOf: RunModel | null = null;
  const ring = shallowRef<ShardRing | null>(null);
  watch(
    () => [props.version, props.model, props.atMs] as const,
    () => {
      if (tailOf !== props.model) {
        tail = new FilteredTail<NodeEventPoint>(isShardState);
        tailOf = props.model;
      }
      tail.sync(props.model.events);
      ring.value = shardRingAt(tail.items, props.atMs);
    },
    { immediate: true },
  );
  return ring;
}
