// A protocol is a deterministic state machine: inputs in, outputs out.
// It never touches a socket, a timer or the clock, so it runs the same in a node
// process, in a unit test and in a replay.
import { MEMBERSHIP_SENDER, type NodeId } from '../experiment/types.js';

export type Body = { type: string; msg_id?: number; in_reply_to?: number; [field: string]: unknown };
export type Params = Record<string, unknown>;

/**
 * `now` is the node's own clock in ms (it honours the experiment's skew and drift), so
 * it is only comparable with other `now`s of the same node. `seed` is the run's seed:
 * draw randomness from createRng(seed, self) so that a run can be repeated. `restarted` is
 * true when this node ran before in the same run: it comes back with nothing kept, and a
 * protocol that must not mistake that for a first start (a replica that has to recover its
 * state from the others) reads it, as a real node would read a marker left on its disk.
 */
export type StartInput = { kind: 'start'; self: NodeId; peers: NodeId[]; params: Params; now: number; seed: number; restarted?: boolean };
export type Input =
  | StartInput
  | { kind: 'message'; from: NodeId; body: Body; now: number }
  | { kind: 'timer'; name: string; now: number };

/**
 * After each join or leave, every member (and the node that leaves) gets this from the
 * sender `distlab` (MEMBERSHIP_SENDER), as a message: `{ kind: 'message', from: 'distlab', body }`.
 * Only programs with `membership: true` (and external commands) take part in such changes.
 */
export type MembershipBody = { type: 'membership'; members: NodeId[]; joined?: NodeId; left?: NodeId };

export function isMembershipMessage(input: Exclude<Input, StartInput>): input is { kind: 'message'; from: NodeId; body: MembershipBody & Body; now: number } {
  return input.kind === 'message' && input.from === MEMBERSHIP_SENDER && input.body.type === 'membership' && Array.isArray(input.body.members);
}

export type Output =
  | { kind: 'send'; to: NodeId; body: Body }
  | { kind: 'setTimer'; name: string; afterMs: number }
  | { kind: 'cancelTimer'; name: string }
  | { kind: 'metric'; name: string; value: number }
  | { kind: 'event'; type: string; data?: unknown }
  /** The latest value of a named piece of state (role, term, leader…), for inspectors. */
  | { kind: 'state'; key: string; value: unknown }
  | { kind: 'log'; text: string };

export interface Protocol<S> {
  init(input: StartInput): [S, Output[]];
  step(state: S, input: Exclude<Input, StartInput>): [S, Output[]];
}

/**
 * A parameter of a built-in program. The experiment loader checks the values a file gives
 * against it: the type of `default`, and for numbers `min`, `max` and `integer`. An `ms`
 * parameter also takes a duration like "500ms", and is at most 24h whatever its `max`.
 */
export interface ParamSpec {
  name: string;
  default: number | string | boolean;
  unit?: 'ms' | 'count' | 'ratio' | 'bytes';
  description: string;
  /** Numbers: the smallest accepted value (inclusive). */
  min?: number;
  /** Numbers: the largest accepted value (inclusive). */
  max?: number;
  /** Numbers: whole numbers only. */
  integer?: boolean;
  /** Strings: the accepted values. */
  oneOf?: readonly string[];
  /** Strings: a node id of the experiment (n1..nN) is accepted too. */
  orNodeId?: boolean;
}

export interface ProgramInfo {
  name: string;
  description: string;
  params: ParamSpec[];
}

export interface Program extends ProgramInfo {
  protocol: Protocol<any>;
  /**
   * Checks between parameters that one ParamSpec cannot state (R + W against N, say);
   * a function, so it stays off ProgramInfo, which crosses IPC.
   * Gets the params with defaults filled in and durations in ms; returns one problem per
   * parameter at fault, named as in nodes.params.
   */
  checkParams?: (params: Params, nodeCount: number) => Array<{ name: string; message: string }>;
  /**
   * The program takes nodes that join and leave a running experiment: it acts on the
   * membership message (MembershipBody). Without it, a join or leave is refused and recorded.
   */
  membership?: boolean;
  /** Benchmark loads leave out the logical clocks that every other program carries. */
  logicalClocks?: boolean;
}

/** Params with the program's defaults filled in. */
export function withDefaults(info: ProgramInfo, params: Params): Params {
  const merged: Params = {};
  for (const spec of info.params) merged[spec.name] = spec.default;
  return { ...merged, ...params };
}
