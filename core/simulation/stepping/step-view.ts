// What the lab shows of a stepping session at its current tree node: the pending events, each
// node's state with what the last step changed, the checks and the tree.
import type { Experiment, NodeId } from '../../experiment/types.js';
import type { CheckResult } from '../../checks/run-checks.js';
import type { PendingMessage, PendingOther, PendingTimer, StepNodeView, StepView } from '../../api/stepping-contract.js';
import type { StepExecution } from './step-execution.js';
import type { StepTree } from './step-tree.js';
import { changedPaths } from './json-state.js';
import { checkDetail } from './step-checks.js';

export function stepView(sessionId: number, experiment: Experiment, execution: StepExecution, tree: StepTree, current: number, before: Map<NodeId, unknown> | null, checks: Record<string, CheckResult>): StepView {
  const world = execution.world;
  const after = execution.states();
  const nodes: StepNodeView[] = [...world.nodes.values()].map((node) => ({
    id: node.id,
    state: node.state,
    protocolState: after.get(node.id) ?? null,
    changedPaths: before ? changedPaths(before.get(node.id) ?? null, after.get(node.id) ?? null) : [],
  }));
  const timers: PendingTimer[] = [];
  const others: PendingOther[] = [];
  for (const event of world.scheduler.pendingEvents()) {
    const tag = event.tag;
    if (tag.kind === 'timer') timers.push({ node: tag.node, name: tag.name, dueMs: event.atUs / 1000 });
    else if (tag.kind === 'other') others.push({ label: tag.label, dueMs: event.atUs / 1000 });
  }
  const messages: PendingMessage[] = world.network.inFlightMessages().map((m) => ({ id: m.id, from: m.from, to: m.to, type: m.type, body: parseBody(m.body), sentMs: m.sentUs / 1000, dueMs: m.dueUs / 1000, copyOf: m.copyOf }));
  const entry = tree.get(current);
  const outcome = entry.outcome;
  const touched = [...new Set([...(outcome?.nodes ?? []), ...nodes.filter((n) => n.changedPaths.length > 0).map((n) => n.id)])];
  return {
    sessionId,
    name: experiment.name,
    seed: experiment.seed,
    current,
    depth: entry.node.depth,
    nowMs: world.scheduler.nowUs / 1000,
    tree: tree.nodes(),
    messages,
    timers,
    others,
    nodes,
    lastStep: entry.node.choice && outcome ? { choice: entry.node.choice, description: outcome.description, nodes: touched } : null,
    checks: Object.fromEntries(Object.entries(checks).map(([name, result]) => [name, { valid: result.valid, detail: checkDetail(name, result) }])),
    violation: tree.firstViolation(current),
    blocked: world.blockedLinks(),
    done: execution.done,
  };
}

/** The body as sent: parsed JSON, or the text when it does not parse (a corrupted message). */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
