// The tree of a stepping session's choices. The root is the state after bring-up; each node
// is one choice from its parent. A new choice where others were taken before is a sibling
// branch: every branch is kept, and any node can be gone back to (by re-executing its path).
import type { StepChoice } from '../../experiment/types.js';
import type { StepTreeNode, StepViolation } from '../../api/stepping-contract.js';
import type { StepOutcome } from './take-choice.js';

export interface TreeEntry {
  node: StepTreeNode;
  /** What the step into this node did (null at the root). */
  outcome: StepOutcome | null;
  /** The checks broken on the path to here, so that the next step's newly broken ones can be told apart. */
  broken: string[];
  /** False while the checks have not judged this node yet (a step taken in a batch of step.run). */
  judged: boolean;
  /** What the check this step broke found. */
  violationDetail: string | null;
}

export class StepTree {
  private readonly entries: TreeEntry[] = [];

  constructor(rootLabel: string, broken: string[]) {
    this.entries.push({ node: { id: 0, parent: null, depth: 0, choice: null, label: rootLabel, violation: null, children: [] }, outcome: null, broken, judged: true, violationDetail: null });
  }

  has(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.entries.length;
  }

  get(id: number): TreeEntry {
    const entry = this.entries[id];
    if (!entry) throw new Error(`no tree node ${id}`);
    return entry;
  }

  /** The child of `parent` reached by this choice, if it was taken before. */
  child(parent: number, choice: StepChoice): TreeEntry | undefined {
    return this.get(parent).node.children.map((id) => this.get(id)).find((entry) => sameChoice(entry.node.choice, choice));
  }

  /** A new branch from `parent`, not yet judged by the checks. */
  add(parent: number, choice: StepChoice, outcome: StepOutcome): TreeEntry {
    const parentEntry = this.get(parent);
    const node: StepTreeNode = { id: this.entries.length, parent, depth: parentEntry.node.depth + 1, choice, label: outcome.description, violation: null, children: [] };
    const entry: TreeEntry = { node, outcome, broken: parentEntry.broken, judged: false, violationDetail: null };
    this.entries.push(entry);
    parentEntry.node.children.push(node.id);
    return entry;
  }

  /**
   * Records what the checks found at a node: the checks broken on its path (a check broken
   * once stays broken on the path), and the first one the step into it broke.
   */
  judge(entry: TreeEntry, brokenNow: readonly string[], detail: (check: string) => string): void {
    const before = entry.node.parent === null ? [] : this.get(entry.node.parent).broken;
    const newly = brokenNow.filter((name) => !before.includes(name));
    entry.broken = [...before, ...newly];
    entry.node.violation = newly[0] ?? null;
    entry.violationDetail = newly.length > 0 ? detail(newly[0]) : null;
    entry.judged = true;
  }

  /** The entries from the root's first child down to `id`. */
  path(id: number): TreeEntry[] {
    const path: TreeEntry[] = [];
    for (let entry = this.get(id); entry.node.parent !== null; entry = this.get(entry.node.parent)) path.push(entry);
    return path.reverse();
  }

  /** True when `ancestor` is on the path from the root to `id` (or is `id`). */
  isAncestor(ancestor: number, id: number): boolean {
    for (let at: number | null = id; at !== null; at = this.get(at).node.parent) if (at === ancestor) return true;
    return false;
  }

  /** The first check broken on the path from the root to `id`. */
  firstViolation(id: number): StepViolation | null {
    const entry = this.path(id).find((e) => e.node.violation !== null);
    return entry ? { check: entry.node.violation!, treeNode: entry.node.id, detail: entry.violationDetail ?? '' } : null;
  }

  /** Every node, as the view shows the tree (copies: the view may be kept while the tree grows). */
  nodes(): StepTreeNode[] {
    return this.entries.map(({ node }) => ({ ...node, children: [...node.children] }));
  }
}

export function sameChoice(a: StepChoice | null, b: StepChoice): boolean {
  if (a === null || a.kind !== b.kind) return false;
  if (a.kind === 'fire' && b.kind === 'fire') return a.node === b.node && a.timer === b.timer;
  if (a.kind === 'next') return true;
  return (a as { messageId: number }).messageId === (b as { messageId: number }).messageId;
}
