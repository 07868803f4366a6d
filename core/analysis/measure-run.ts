// The headline measurements of a recorded run, for its summary and for `distlab compare`.
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statement-cache.js';
import { countEvents, loadEvents, loadFaults, loadMetrics } from './load-recorded.js';
import { measureDetection, type DetectionMeasurements } from './failure-detection.js';
import { measureElections, type ElectionMeasurements } from './elections.js';
import { measureReplicationLag, type FollowerLag } from './replication-lag.js';
import type { Spread } from './recorded.js';
import { downPeriods, isDown } from './down-periods.js';
import { measureKvConsistency, type KvConsistency } from './kv-consistency.js';
import { measureThrottle, type ThrottleMeasurements } from './throttle.js';
import { measureQuorum, type QuorumMeasurements } from './quorum-ops.js';
import { measureSharding, type ShardingMeasurements } from './sharding.js';

export interface RunMeasurements {
  /** Messages the nodes sent, per node per second of the run. */
  messagesPerNodePerSec: number;
  /** Messages (requests, replies and the nodes' own traffic) per client operation. */
  messagesPerOperation: number | null;
  detection?: DetectionMeasurements;
  elections?: ElectionMeasurements;
  replicationLag?: Record<string, { entries: Spread | null; ms: Spread | null }>;
  /** Key-value runs: availability (by side of a partition), stale reads, convergence after the heal. */
  consistency?: KvConsistency;
  /** Rate-limited runs: accepted and rejected per second, fairness, overshoot under a partition. */
  throttle?: ThrottleMeasurements;
  /** quorum-kv runs: replicas contacted and answered, stale replicas, siblings, hinted handoffs, and what linearizability to expect. */
  quorum?: QuorumMeasurements;
  /** Sharded stores: keys per node and their spread, keys moved per membership change, hand-over failures. */
  sharding?: ShardingMeasurements;
}

export function measureRun(db: Database.Database, runId: number, nodes: string[], durationMs: number): RunMeasurements {
  const endUs = durationMs * 1000;
  const faults = loadFaults(db, runId);
  const sentByNodes = cachedStatement(db, "select count(*) from messages where run_id = ? and src like 'n%' and dup_of is null").pluck().get(runId) as number;
  const allMessages = cachedStatement(db, 'select count(*) from messages where run_id = ? and dup_of is null').pluck().get(runId) as number;
  const operations = cachedStatement(db, 'select count(*) from operations where run_id = ?').pluck().get(runId) as number;
  const seconds = Math.max(durationMs / 1000, 1e-3);
  const measurements: RunMeasurements = {
    messagesPerNodePerSec: round(sentByNodes / Math.max(1, nodes.length) / seconds),
    messagesPerOperation: operations ? round(allMessages / operations) : null,
  };

  const lifecycle = loadEvents(db, runId, ['up', 'crash']);
  if (countEvents(db, runId, 'suspect') + countEvents(db, runId, 'dead') + countEvents(db, runId, 'heartbeat') > 0) {
    const events = [...lifecycle, ...loadEvents(db, runId, ['suspect', 'dead', 'alive'])].sort((a, b) => a.tUs - b.tUs);
    measurements.detection = measureDetection(faults, events, nodes, endUs);
  }
  const elections = measureElections(faults, loadEvents(db, runId, ['role', 'election']));
  if (elections) measurements.elections = elections;
  const down = downPeriods(faults, lifecycle, endUs);
  const lag = measureReplicationLag(loadMetrics(db, runId, ['last_index', 'applied_index']), endUs, (node, tUs) => isDown(down, node, tUs));
  if (lag) {
    measurements.replicationLag = Object.fromEntries(Object.entries(lag.followers).map(([node, l]: [string, FollowerLag]) => [node, { entries: l.entries, ms: l.ms }]));
  }
  const consistency = measureKvConsistency(db, runId, faults, nodes.length);
  if (consistency) measurements.consistency = consistency;
  const throttle = measureThrottle(db, runId, faults, durationMs);
  if (throttle) measurements.throttle = throttle;
  const quorum = measureQuorum(db, runId);
  if (quorum) measurements.quorum = quorum;
  const sharding = measureSharding(db, runId);
  if (sharding) measurements.sharding = sharding;
  return measurements;
}

const round = (x: number) => Math.round(x * 100) / 100;
