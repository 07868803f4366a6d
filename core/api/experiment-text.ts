// Writes a normalized Experiment back as an experiment file, for runs whose original text
// is not at hand (started from the CLI, or before this process). Loading the result gives
// the same experiment again.
import { stringify } from 'yaml';
import { DEFAULT_INIT_TIMEOUT_MS, defaultLinkParams } from '../experiment/schema.js';
import type { Experiment, FaultAction, LinkParams, LinkPatch, NodeId, RetrySpec } from '../experiment/types.js';
import { formatDurationMs } from '../experiment/units.js';
import { KEYED_WORKLOADS, KV_WORKLOADS } from '../experiment/workload-kinds.js';
import { stepsFile } from '../experiment/steps.js';

export function experimentYaml(experiment: Experiment): string {
  return stringify(experimentFile(experiment), { lineWidth: 0, flowCollectionPadding: true });
}

/** The file form (YAML-ready object) of a normalized experiment. */
export function experimentFile(e: Experiment): Record<string, unknown> {
  const file: Record<string, unknown> = { name: e.name, ...(e.mode !== undefined && { mode: e.mode }), seed: e.seed, duration: formatDurationMs(e.durationMs), nodes: nodesFile(e) };
  const network = { ...linkPatchFile(changedFromDefaults(e.network.defaults)) };
  if (e.network.links.length > 0) network.links = e.network.links.map((link) => ({ ...endpoints(link.from, link.to), ...linkPatchFile(link.patch) }));
  if (Object.keys(network).length > 0) file.network = network;
  const fixed = e.faults.map((fault) => ({ at: formatDurationMs(fault.atMs), ...faultActionFile(fault.action) }));
  // Random faults not drawn yet stay random; a run's stored experiment has them drawn, as a list.
  if (e.randomFaults) file.faults = { random: { ...e.randomFaults.rates }, lasts: formatDurationMs(e.randomFaults.lastsMs), ...(fixed.length > 0 && { schedule: fixed }) };
  else if (fixed.length > 0) file.faults = fixed;
  if (e.workload.kind !== 'none') {
    const w = e.workload;
    file.workload = {
      kind: w.kind,
      rate: w.rate,
      clients: w.clients,
      timeout: formatDurationMs(w.timeoutMs),
      loop: w.loop,
      ...(KEYED_WORKLOADS.includes(w.kind) && { keys: w.keys }),
      ...(KV_WORKLOADS.includes(w.kind) && { mix: w.mix }),
      ...(w.kind === 'broadcast' && { topology: w.topology, ...(w.topology === 'tree' && { branching: w.branching }) }),
      ...(w.availability !== undefined && { availability: w.availability }),
      ...(w.maxTxnLength !== undefined && { maxTxnLength: w.maxTxnLength }),
      ...(w.consistencyModels !== undefined && { consistencyModels: w.consistencyModels }),
      ...(w.finalQuietMs !== undefined && { final: { quiet: formatDurationMs(w.finalQuietMs) } }),
      ...(w.retry !== undefined && w.retry.policy !== 'none' && retryFile(w.retry)),
    };
  }
  if (e.switchPort !== 0) file.switch = { port: e.switchPort };
  if (e.steps !== undefined) file.steps = stepsFile(e.steps);
  return file;
}

/** requests: the retry policy, its attempts, and the backoff where it applies. */
function retryFile(r: RetrySpec): Record<string, unknown> {
  const { baseMs, maxMs, jitter } = r.backoff;
  return { retry: r.policy, attempts: r.attempts, ...(r.policy === 'backoff' && { backoff: { base: formatDurationMs(baseMs), max: formatDurationMs(maxMs), jitter } }) };
}

function nodesFile(e: Experiment): Record<string, unknown> {
  const n = e.nodes;
  const nodes: Record<string, unknown> = { count: n.count };
  if (n.program !== undefined) nodes.program = n.program;
  if (n.command !== undefined) nodes.command = n.command;
  if (Object.keys(n.params).length > 0) nodes.params = n.params;
  if (n.initTimeoutMs !== DEFAULT_INIT_TIMEOUT_MS) nodes.initTimeout = formatDurationMs(n.initTimeoutMs);
  if (n.leaveDrainMs !== undefined) nodes.leaveDrain = formatDurationMs(n.leaveDrainMs);
  if (Object.keys(n.env).length > 0) nodes.env = n.env;
  if (n.cwd !== undefined) nodes.cwd = n.cwd;
  if (n.clock.skewMs !== 0 || n.clock.driftPpm !== 0) nodes.clock = clockFile(n.clock);
  if (Object.keys(n.clocks).length > 0) nodes.clocks = Object.fromEntries(Object.entries(n.clocks).map(([id, clock]) => [id, clockFile(clock)]));
  return nodes;
}

function clockFile(clock: { skewMs: number; driftPpm: number }): Record<string, unknown> {
  const skew = clock.skewMs < 0 ? `-${formatDurationMs(-clock.skewMs)}` : formatDurationMs(clock.skewMs);
  return { skew, drift: clock.driftPpm };
}

function changedFromDefaults(params: LinkParams): LinkPatch {
  const defaults = defaultLinkParams();
  const patch: LinkPatch = {};
  for (const key of Object.keys(params) as Array<keyof LinkParams>) {
    if (JSON.stringify(params[key]) !== JSON.stringify(defaults[key])) (patch as Record<string, unknown>)[key] = params[key];
  }
  return patch;
}

function linkPatchFile(patch: LinkPatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (patch.latency) {
    const { distribution, meanMs, jitterMs } = patch.latency;
    out.latency = { distribution, mean: formatDurationMs(meanMs), ...(jitterMs > 0 && { jitter: formatDurationMs(jitterMs) }) };
  }
  if (patch.loss) {
    const loss = patch.loss;
    out.loss = loss.kind === 'bernoulli' ? loss.p : { burst: { p: loss.p, r: loss.r, lossGood: loss.lossGood, lossBad: loss.lossBad } };
  }
  if (patch.duplicate !== undefined) out.duplicate = patch.duplicate;
  if (patch.corrupt !== undefined) out.corrupt = patch.corrupt;
  if (patch.reorder !== undefined) out.reorder = patch.reorder;
  if (patch.bandwidthBytesPerSec !== undefined) out.bandwidth = patch.bandwidthBytesPerSec;
  if (patch.queueLimit !== undefined) out.queueLimit = patch.queueLimit;
  return out;
}

/** A fault action in the file's form, without `at`: what run.fault accepts too. */
export function faultActionFile(action: FaultAction): Record<string, unknown> {
  switch (action.kind) {
    case 'kill':
    case 'stop':
    case 'pause':
    case 'resume':
    case 'restart':
      return { [action.kind]: oneOrList(action.nodes) };
    case 'partition':
      return { partition: action.groups };
    case 'partition-pattern':
      return { partition: action.pattern };
    case 'heal':
      return { heal: true };
    case 'cut':
      return { cut: { from: oneOrList(action.from), to: oneOrList(action.to) } };
    case 'change-link':
      return { 'change-link': { ...endpoints(action.from, action.to), ...linkPatchFile(action.patch) } };
    case 'join':
      return { join: action.node };
    case 'leave':
      return { leave: action.node };
  }
}

function oneOrList(ids: NodeId[]): NodeId | NodeId[] {
  return ids.length === 1 ? ids[0] : ids;
}

function endpoints(from: NodeId | undefined, to: NodeId | undefined): Record<string, NodeId> {
  return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
}
