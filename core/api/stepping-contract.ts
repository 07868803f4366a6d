// The lab's stepping API (mode: simulate, one event at a time, as in Oddity): what the
// engine shows of a stepped simulation and the choices the user makes. A stepped run is
// (experiment, seed, choices): re-executing the choices gives the same run exactly.
import type { NodeState, RunId } from './contract.js';
import type { StepChoice } from '../experiment/types.js';

/** What happens next (defined with the experiment, whose `steps` key holds a stepped run's choices). */
export type { StepChoice };

export interface PendingMessage {
  id: number;
  from: string;
  to: string;
  type: string;
  /** The body as sent (parsed JSON; the raw text when it does not parse, e.g. corrupted). */
  body: unknown;
  sentMs: number;
  /** When the link model would deliver it; a step may deliver it earlier or later. */
  dueMs: number;
  /** The id of the original when this is a copy (network or user duplication). */
  copyOf: number | null;
}

export interface PendingTimer {
  node: string;
  name: string;
  dueMs: number;
}

/** Scheduled events that are neither messages nor node timers: client requests, scheduled faults, services. */
export interface PendingOther {
  label: string;
  dueMs: number;
}

export interface StepNodeView {
  id: string;
  state: NodeState;
  /** The protocol's full state S (Maps and Sets as plain JSON). */
  protocolState: unknown;
  /** JSON paths ("term", "log.3.value") that the last step changed in this node's state. */
  changedPaths: string[];
}

export interface StepTreeNode {
  /** Stable within a session. The root (id 0) is the state after bring-up, before any choice. */
  id: number;
  parent: number | null;
  /** Steps from the root. */
  depth: number;
  /** The choice that led here from the parent (null at the root). */
  choice: StepChoice | null;
  /** One line: "deliver #12 append-entries n1→n3", "fire n2 election", … */
  label: string;
  /** The first check this step broke, if it broke one. */
  violation: string | null;
  children: number[];
}

export interface StepViolation {
  check: string;
  /** The tree node whose step broke it. */
  treeNode: number;
  detail: string;
}

export interface StepView {
  sessionId: number;
  name: string;
  seed: number;
  /** The tree node the session is at now. */
  current: number;
  depth: number;
  nowMs: number;
  tree: StepTreeNode[];
  messages: PendingMessage[];
  timers: PendingTimer[];
  others: PendingOther[];
  nodes: StepNodeView[];
  /** What the step into `current` did: its description and the nodes it touched. */
  lastStep: { choice: StepChoice; description: string; nodes: string[] } | null;
  /** The run's checks on the record so far, after this step. */
  checks: Record<string, { valid: boolean; detail: string }>;
  /** The first broken check on the path from the root to `current`. */
  violation: StepViolation | null;
  /** Directed links blocked now (partitions, cuts). */
  blocked: Array<[string, string]>;
  /** True once nothing is pending before the experiment's duration. */
  done: boolean;
}

export interface SteppingMethods {
  /** Starts stepping a mode: simulate experiment (a file's text) at the state after bring-up. */
  'step.open': { arg: { text: string }; result: StepView };
  'step.choose': { arg: { sessionId: number; choice: StepChoice }; result: StepView };
  /** Takes `next` up to maxSteps times; stops early at the first step that breaks a check. */
  'step.run': { arg: { sessionId: number; maxSteps: number }; result: StepView };
  /** Moves to any node of the tree (back, or to another branch): the session re-executes its path. */
  'step.goto': { arg: { sessionId: number; treeNode: number }; result: StepView };
  /** Records the path from the root to treeNode as a simulated run, replayable and comparable as any run. */
  'step.save': { arg: { sessionId: number; treeNode: number }; result: { runId: RunId } };
  'step.close': { arg: { sessionId: number }; result: null };
}
