// If the engine exits for any reason, its node processes must not outlive it.
// 'exit' handlers run synchronously, and SIGKILL needs no waiting.
import type { ManagedNode } from './node-process.js';

const tracked = new Set<ManagedNode>();
let installed = false;

export function trackForEmergencyKill(nodes: Iterable<ManagedNode>): void {
  for (const node of nodes) tracked.add(node);
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const node of tracked) node.killNow();
  });
}

export function untrack(nodes: Iterable<ManagedNode>): void {
  for (const node of nodes) tracked.delete(node);
}
