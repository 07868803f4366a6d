// A key-value store (Maelstrom lin-kv: read, write, cas) sharded over the nodes by
// consistent hashing (Karger et al. 1997; Dynamo's ring with virtual nodes and a preference
// list of R nodes). Any node takes a request and passes it on to the key's owner. When the
// membership changes, each key's old owner hands it over to its new holders; until the old
// owner's hand-over has come, the new owner refuses the key with error 11 (surely not
// applied), so two owners never answer for one key at once. `placement: modulo` places
// keys by hash mod N instead, which moves nearly every key on a change: the lesson.
import { MEMBERSHIP_SENDER } from '../../experiment/types.js';
import type { Body, Output, Params, Program, Protocol } from '../../sdk/index.js';
import { cancelTimer, event, malformedRequest, send, setTimer } from '../../sdk/index.js';
import { commandFromRequest, commandProblem, ERROR_NOT_SUPPORTED, ERROR_TEMPORARILY_UNAVAILABLE, errorBody } from '../raft/kv.js';
import { forwardStamper } from '../forwarded/forward-stamp.js';
import { handleOnce, receivedForwards } from '../forwarded/received-forwards.js';
import { dropKeysNotHeld, planHandover } from './handover.js';
import { type MembershipChange, membershipChangeFrom } from './membership.js';
import { holdersOf, PLACEMENT_KINDS, placementOf, type Placement, type PlacementKind } from './placement.js';
import { answerTo, expireForward, forwardRequest, relayAnswer, type Routing } from './routing.js';
import { applyAtOwner, entriesFrom, mergeEntry, type ShardEntry, type ShardStore } from './shard-store.js';
import { reportTelemetry, REPORT_TIMER, scheduleReport, type Reported } from './telemetry.js';

export interface ShardedKvState extends Routing {
  self: string;
  vnodes: number;
  replicas: number;
  kind: PlacementKind;
  handoverTimeoutMs: number;
  placement: Placement;
  store: ShardStore;
  /** The placement before the last change, while its hand-overs are awaited. */
  previous: Placement | null;
  /** Old members whose hand-over has not come yet; their keys are in transit. */
  awaiting: Set<string>;
  /**
   * The changes taken so far (members and who joined or left), so that a hand-over arriving
   * late, after a newer change, does not bring its older membership back.
   */
  seenChanges: Set<string>;
  /** Requests refused because their key was in transit or views disagreed. */
  refused: number;
  reported: Reported;
}

const HANDOVER_TIMER = 'handover-timeout';
const CLIENT_REQUESTS = new Set(['read', 'write', 'cas']);

const protocol: Protocol<ShardedKvState> = {
  init({ self, peers, params, now }) {
    const kind = String(params.placement) as PlacementKind;
    const vnodes = Number(params.vnodes);
    const replicas = Number(params.replicas);
    const s: ShardedKvState = {
      self,
      vnodes,
      replicas,
      kind,
      handoverTimeoutMs: Number(params.handoverTimeout),
      forwardTimeoutMs: Number(params.forwardTimeout),
      placement: placementOf(kind, [...peers, self], vnodes, replicas),
      store: new Map(),
      previous: null,
      awaiting: new Set(),
      seenChanges: new Set(),
      refused: 0,
      forwarded: new Map(),
      forwardStamps: forwardStamper(now),
      receivedForwards: receivedForwards(),
      nextMsgId: 1,
      reported: { owned: -1, held: -1, refused: -1, ringOf: null, keysDirty: true, timerArmed: false },
    };
    const out: Output[] = [];
    reportTelemetry(s, out);
    return [s, out];
  },
  step(s, input) {
    const out: Output[] = [];
    if (input.kind === 'timer') onTimer(s, input.name, out);
    else onMessage(s, input.from, input.body, out);
    scheduleReport(s, out);
    return [s, out];
  },
};

function onTimer(s: ShardedKvState, name: string, out: Output[]): void {
  if (name === REPORT_TIMER) reportTelemetry(s, out);
  else if (name === HANDOVER_TIMER) stopAwaiting(s, out);
  else expireForward(s, name, out);
}

function onMessage(s: ShardedKvState, from: string, body: Body, out: Output[]): void {
  if (from === MEMBERSHIP_SENDER && body.type === 'membership') {
    const change = membershipChangeFrom(body);
    if (change) applyMembership(s, change, out);
    return;
  }
  if (body.type === 'handover') return onHandover(s, from, body, out);
  if (body.type === 'replicate') {
    const size = s.store.size;
    for (const entry of entriesFrom(body)) if (holdersOf(s.placement, entry.key).includes(s.self)) mergeEntry(s.store, entry);
    if (s.store.size !== size) s.reported.keysDirty = true;
    return;
  }
  if (relayAnswer(s, body, out)) return;
  // A request another node passed on is taken once: a copy the network duplicated is not applied or passed on again.
  if (CLIENT_REQUESTS.has(body.type)) return handleOnce(s.receivedForwards, from, body, out, () => onRequest(s, from, body, out));
  if (body.msg_id !== undefined && !s.placement.members.includes(from)) out.push(answerTo(s, from, body.msg_id, errorBody(ERROR_NOT_SUPPORTED, `${body.type} is not supported`)));
}

function onRequest(s: ShardedKvState, from: string, body: Body, out: Output[]): void {
  const command = commandFromRequest(body)!;
  const problem = commandProblem(command);
  if (problem) return void out.push(answerTo(s, from, body.msg_id, malformedRequest(body, problem)));
  const [owner, ...replicas] = holdersOf(s.placement, command.key);
  if (owner === undefined) return refuse(s, from, body, 'no members to own the key', out);
  if (owner !== s.self) {
    if (forwardRequest(s, from, body, owner, out) === 'refused') s.refused++;
    return;
  }
  const formerOwner = s.previous ? holdersOf(s.previous, command.key)[0] : undefined;
  if (formerOwner !== undefined && s.awaiting.has(formerOwner)) {
    return refuse(s, from, body, `key ${JSON.stringify(command.key)} is being handed over from ${formerOwner}; not applied`, out);
  }
  const { answer, changed } = applyAtOwner(s.store, command);
  if (changed) {
    // The key list is reported again only when a key is new, not on every write.
    if (changed.version === 1) s.reported.keysDirty = true;
    for (const replica of replicas) out.push(send(replica, { type: 'replicate', entries: [changed] }));
  }
  out.push(answerTo(s, from, body.msg_id, answer));
}

function refuse(s: ShardedKvState, from: string, body: Body, text: string, out: Output[]): void {
  s.refused++;
  out.push(answerTo(s, from, body.msg_id, errorBody(ERROR_TEMPORARILY_UNAVAILABLE, text)));
}

/**
 * Moves to the new membership: hands the keys this node owned over to their new holders,
 * drops the ones it no longer holds, and waits for the old members' hand-overs.
 */
export function applyMembership(s: ShardedKvState, change: MembershipChange, out: Output[]): void {
  const key = changeKey(change);
  if (s.seenChanges.has(key)) return;
  s.seenChanges.add(key);
  // A joined node learns it is new from the change naming it (the message, or a hand-over).
  const joiningSelf = change.joined === s.self;
  if (!joiningSelf && sameMembers(s.placement.members, change.members)) return;
  const after = placementOf(s.kind, change.members, s.vnodes, s.replicas);
  // A joined node started with the new membership already: before it, the others without it.
  const before = joiningSelf ? placementOf(s.kind, change.members.filter((m) => m !== s.self), s.vnodes, s.replicas) : s.placement;
  const plan = planHandover(s.self, before, after, s.store);
  for (const [member, entries] of plan.batches) out.push(send(member, { type: 'handover', entries, change }));
  dropKeysNotHeld(s.self, after, s.store);
  const what = change.joined !== undefined ? { change: 'join', node: change.joined } : { change: 'leave', node: change.left ?? null };
  out.push(event('keys-moved', { ...what, moved: plan.moved, owned: plan.owned, membersBefore: before.members.length, membersAfter: after.members.length }));
  s.placement = after;
  s.previous = before;
  s.awaiting = new Set(before.members.filter((m) => m !== s.self));
  s.reported.keysDirty = true;
  out.push(cancelTimer(HANDOVER_TIMER));
  if (s.awaiting.size > 0) out.push(setTimer(HANDOVER_TIMER, s.handoverTimeoutMs));
  else s.previous = null;
}

function onHandover(s: ShardedKvState, from: string, body: Body, out: Output[]): void {
  // A hand-over may overtake the membership message it follows: take the change first.
  const change = membershipChangeFrom(body.change);
  if (change) applyMembership(s, change, out);
  const entries: ShardEntry[] = entriesFrom(body).filter((entry) => holdersOf(s.placement, entry.key).includes(s.self));
  let taken = 0;
  for (const entry of entries) if (mergeEntry(s.store, entry)) taken++;
  s.reported.keysDirty = true;
  out.push(event('handover-received', { from, keys: entries.length, taken }));
  if (!s.awaiting.delete(from) || s.awaiting.size > 0) return;
  out.push(cancelTimer(HANDOVER_TIMER), event('handover-complete', { members: s.placement.members.length }));
  s.previous = null;
}

/** The old members that never sent their keys (dead, say): serve what we have from now on. */
function stopAwaiting(s: ShardedKvState, out: Output[]): void {
  if (s.awaiting.size === 0) return;
  out.push(event('handover-timeout', { missing: [...s.awaiting].sort() }));
  s.awaiting.clear();
  s.previous = null;
}

const changeKey = (change: MembershipChange): string =>
  `${change.joined !== undefined ? `+${change.joined}` : ''}${change.left !== undefined ? `-${change.left}` : ''}@${placementOf('modulo', change.members, 1, 1).members.join(',')}`;

const sameMembers = (sorted: readonly string[], members: readonly string[]): boolean => {
  const other = placementOf('modulo', members, 1, 1).members;
  return other.length === sorted.length && other.every((m, i) => m === sorted[i]);
};

export function checkShardedParams(params: Params, nodeCount: number): Array<{ name: string; message: string }> {
  const replicas = Number(params.replicas);
  if (replicas <= nodeCount) return [];
  return [{ name: 'replicas', message: `${replicas} replicas need at least ${replicas} nodes; this experiment has ${nodeCount}` }];
}

export const shardedKv: Program = {
  name: 'sharded-kv',
  description:
    'A key-value store (lin-kv) sharded by consistent hashing: V virtual nodes per node on a hash ring, each key on the next R distinct nodes; any node routes a request to the owner, and on a join or leave the keys that changed owner are handed over (placement: modulo moves nearly all of them).',
  params: [
    { name: 'vnodes', default: 16, unit: 'count', integer: true, min: 1, max: 1024, description: 'virtual nodes (points on the ring) per node; more even out the load' },
    { name: 'replicas', default: 1, unit: 'count', integer: true, min: 1, max: 16, description: 'nodes holding each key: its owner and the next R − 1 distinct nodes clockwise' },
    { name: 'placement', default: 'ring', oneOf: PLACEMENT_KINDS, description: 'ring: consistent hashing; modulo: hash mod N, for comparison' },
    { name: 'forwardTimeout', default: 500, unit: 'ms', min: 1, description: 'how long a node waits for the owner of a request it passed on before answering error 0 (outcome unknown)' },
    { name: 'handoverTimeout', default: 1000, unit: 'ms', min: 1, description: 'how long a new owner waits for an old member\'s keys before serving what it has' },
  ],
  checkParams: checkShardedParams,
  membership: true,
  protocol,
};
