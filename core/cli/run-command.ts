import { loadExperimentFile } from '../experiment/load.js';
import { parseDurationMs } from '../experiment/units.js';
import { programNames } from '../programs/registry.js';
import type { RunSummary } from '../engine/run.js';
import { executeRun } from './execute-run.js';
import { EXIT, UserError } from './user-error.js';

export interface RunCommandOptions {
  db: string;
  seed?: string;
  duration?: string;
  json?: boolean;
}

export async function runCommand(file: string, options: RunCommandOptions): Promise<number> {
  const experiment = loadExperimentFile(file, { programs: programNames() });
  if (options.seed !== undefined) {
    if (!/^\d+$/.test(options.seed)) throw new UserError(`--seed: expected a non-negative integer, got "${options.seed}"`);
    const seed = Number(options.seed);
    // Above 2^53 - 1 a number is rounded to its neighbour: the run could not be repeated with the seed given.
    if (!Number.isSafeInteger(seed)) {
      throw new UserError(`--seed: expected an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got "${options.seed}", which cannot be used exactly`);
    }
    experiment.seed = seed;
    experiment.seedWasRandom = false;
  }
  if (options.duration !== undefined) {
    try {
      experiment.durationMs = parseDurationMs(/^\d+(\.\d+)?$/.test(options.duration) ? Number(options.duration) : options.duration);
    } catch (error) {
      throw new UserError(`--duration: ${(error as Error).message}`);
    }
    if (experiment.durationMs <= 0) throw new UserError(`--duration: expected more than 0, got "${options.duration}"`);
  }

  const summary = await executeRun('run', experiment, options.db);
  if (options.json) process.stdout.write(JSON.stringify(jsonSummary(summary)) + '\n');
  else process.stdout.write(formatSummary(summary));
  if (summary.status === 'interrupted') return EXIT.interrupted;
  if (summary.status === 'failed') return EXIT.checkFailed;
  return Object.values(summary.checks).every((c) => c.valid) ? EXIT.ok : EXIT.checkFailed;
}

function jsonSummary(s: RunSummary) {
  return {
    runId: s.runId,
    status: s.status,
    durationMs: s.durationMs,
    nodes: s.nodes,
    seed: s.seed,
    messages: s.messages,
    ops: s.ops,
    latencyMs: s.latencyMs,
    deliveryLatenessUs: s.deliveryLatenessUs,
    measurements: s.measurements,
    checks: s.checks,
    problems: s.problems,
    warnings: s.warnings,
    overload: s.overload,
    ...(s.simulation && { mode: 'simulate', simulation: s.simulation }),
  };
}

export function formatSummary(s: RunSummary): string {
  const m = s.messages;
  const lines = [
    s.simulation
      ? `run ${s.runId} ${s.status}, simulated: ${(s.durationMs / 1000).toFixed(2)} s of virtual time, simulated and recorded in ${(s.simulation.recordedMs / 1000).toFixed(2)} s, ${(s.simulation.wallMs / 1000).toFixed(2)} s with the checks (${s.nodes} nodes, seed ${s.seed}, ${s.simulation.events} events)`
      : `run ${s.runId} ${s.status} in ${(s.durationMs / 1000).toFixed(2)} s (${s.nodes} nodes, seed ${s.seed})`,
    `  messages  sent ${m.sent} and ${m.duplicated} extra copies: delivered ${m.delivered}, corrupted ${m.corrupted}, lost ${m.lost}, partitioned ${m.partitioned}, overflow ${m.overflow}, undeliverable ${m.undeliverable}, in flight at the end ${m.inFlightAtEnd}`,
  ];
  if (s.ops.total) {
    lines.push(`  ops       ${s.ops.total} total: ${s.ops.ok} ok, ${s.ops.fail} fail, ${s.ops.timeout} timeout`);
    if (s.latencyMs) lines.push(`  latency   p50 ${s.latencyMs.p50} ms, p95 ${s.latencyMs.p95} ms, p99 ${s.latencyMs.p99} ms, max ${s.latencyMs.max} ms`);
  }
  if (s.deliveryLatenessUs) lines.push(`  timing    scheduled deliveries left p50 ${s.deliveryLatenessUs.p50} µs, p99 ${s.deliveryLatenessUs.p99} µs after their due time`);
  lines.push(...formatMeasurements(s));
  for (const [name, check] of Object.entries(s.checks)) {
    // A check that gave up (out of time) says unknown, with its reason: not a pass.
    if (check.verdict === 'unknown') lines.push(`  check     ${name}: unknown (${String(check.reason ?? 'gave up')})`);
    else lines.push(`  check     ${name}: ${check.valid ? 'valid' : 'INVALID'}${check.valid ? '' : ` ${JSON.stringify(check).slice(0, 300)}`}`);
  }
  for (const w of s.warnings) lines.push(`  warning   ${w}`);
  for (const p of s.problems) lines.push(`  problem   ${p}`);
  return lines.join('\n') + '\n';
}

function formatMeasurements(s: RunSummary): string[] {
  const m = s.measurements;
  if (!m) return [];
  const lines = [`  traffic   ${m.messagesPerNodePerSec} msgs per node per s${m.messagesPerOperation === null ? '' : `, ${m.messagesPerOperation} msgs per operation`}`];
  if (m.detection) {
    for (const d of m.detection.detections)
      lines.push(`  detection ${d.node} ${d.cause} at ${d.atMs} ms: first after ${d.firstMs ?? '—'} ms, last after ${d.lastMs ?? '—'} ms (${d.detectors}/${d.of} detectors)`);
    const mistakes = m.detection.mistakes;
    lines.push(`  mistakes  ${mistakes.count} false suspicions${mistakes.duringPartition ? ` (${mistakes.duringPartition} during partitions)` : ''}${mistakes.durationMs ? `, lasting p50 ${mistakes.durationMs.p50} ms, max ${mistakes.durationMs.max} ms` : ''}`);
  }
  if (m.elections) {
    const e = m.elections;
    lines.push(`  elections ${e.elections} elections, ${e.splitVotes} split votes, ${e.leaders} leaders`);
    for (const r of e.reelections) lines.push(`  re-elect  after ${r.fault} of leader ${r.oldLeader} at ${r.atMs} ms: ${r.newLeader ? `${r.newLeader} after ${r.ms} ms` : 'no new leader'}`);
  }
  for (const [node, lag] of Object.entries(m.replicationLag ?? {}))
    lines.push(`  lag       ${node}: entries p50 ${lag.entries?.p50 ?? '—'} p99 ${lag.entries?.p99 ?? '—'} max ${lag.entries?.max ?? '—'}; ms p50 ${lag.ms?.p50 ?? '—'} p99 ${lag.ms?.p99 ?? '—'} max ${lag.ms?.max ?? '—'}`);
  if (m.quorum) {
    const q = m.quorum;
    if (q.expectation) lines.push(`  quorum    ${q.expectation}`);
    lines.push(`  quorum    ${q.contactedMean} replicas asked, ${q.answeredMean} answered per operation; ${q.readsWithStaleReplicas} of ${q.reads} reads met a stale replica, ${q.conflictingReads} conflicting siblings; ${q.hintedOperations} hinted operations, ${q.handoffs} handed back`);
  }
  return lines;
}
