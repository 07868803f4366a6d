// The coordinator: whichever node a client asked runs its operation in the multi-writer ABD
// shape. Query phase: ask the key's N replicas, wait for R answers. A write then stores
// (a version above all it saw) at W replicas; a read answers the newest value, first
// writing it back to W replicas when the answers disagreed (synchronous read repair), which
// is what makes R + W > N linearizable. A sloppy quorum asks stand-ins when home replicas
// are slow to answer, and they keep what they store as hinted copies.
import type { Body, Output } from '../../sdk/index.js';
import { cancelTimer, event, malformedRequest, metric, missingField, reply, send, setTimer } from '../../sdk/index.js';
import { ERROR_KEY_DOES_NOT_EXIST, ERROR_NOT_SUPPORTED, ERROR_TEMPORARILY_UNAVAILABLE, ERROR_TIMEOUT, errorBody } from '../raft/kv.js';
import { placement } from './preference.js';
import { heldSiblings, siblingsOf, storeSiblings } from './replica.js';
import type { Operation, Phase, QuorumState } from './types.js';
import { mergeSiblings, newest, nextVersion, sameSiblings, versionsBehind, type Sibling } from './versions.js';

export const DEADLINE_TIMER = 'deadline:';
export const FALLBACK_TIMER = 'fallback:';

/** R + W > N without a sloppy quorum: read and write quorums always overlap. */
export const isStrict = (s: QuorumState): boolean => s.config.r + s.config.w > s.config.replicas && !s.config.sloppy;

export function onClientRequest(s: QuorumState, client: string, body: Body, out: Output[]): void {
  if (body.type !== 'read' && body.type !== 'write') {
    // cas would need its read and store phases to exclude other writers; see docs/quorum-kv.md.
    if (body.msg_id !== undefined) out.push(reply(client, body, errorBody(ERROR_NOT_SUPPORTED, `${body.type} is not supported by quorum-kv`)));
    return;
  }
  const missing = missingField(body, body.type === 'read' ? ['key'] : ['key', 'value']);
  if (missing) {
    out.push(reply(client, body, malformedRequest(body, `${missing} is missing`)));
    return;
  }
  const { preferred, fallbacks } = placement(body.key, s.nodes, s.config.replicas, s.self);
  const op: Operation = {
    id: s.nextOpId++,
    client,
    request: body,
    op: body.type,
    key: body.key,
    phase: 'query',
    preferred,
    fallbacks,
    contacted: new Set(),
    answered: new Set(),
    asked: new Set(),
    replies: new Map(),
    hintedFor: new Map(),
    needed: 0,
    storing: [],
    behind: 0,
    replicasBehind: 0,
    siblings: 0,
  };
  s.ops.set(op.id, op);
  beginPhase(s, op, 'query', out);
}

function beginPhase(s: QuorumState, op: Operation, phase: Phase, out: Output[]): void {
  Object.assign(op, { phase, asked: new Set(), replies: new Map(), hintedFor: new Map(), needed: phase === 'query' ? s.config.r : s.config.w });
  out.push(setTimer(DEADLINE_TIMER + op.id, s.config.timeoutMs));
  if (s.config.sloppy) out.push(setTimer(FALLBACK_TIMER + op.id, s.config.timeoutMs / 2));
  askAll(s, op, op.preferred.map((node) => [node, null]), out);
}

/** Asks remote nodes first and itself last: its own answer may end the phase at once. */
function askAll(s: QuorumState, op: Operation, targets: Array<[string, string | null]>, out: Output[]): void {
  for (const [node, home] of targets) {
    op.asked.add(node);
    op.contacted.add(node);
    if (home !== null) op.hintedFor.set(node, home);
    if (node === s.self) continue;
    if (op.phase === 'query') out.push(send(node, { type: 'q_get', op: op.id, key: op.key }));
    else out.push(send(node, { type: 'q_put', op: op.id, key: op.key, siblings: op.storing, ...(home !== null && { hint: home }) }));
  }
  const own = targets.find(([node]) => node === s.self);
  if (!own) return;
  if (op.phase === 'query') onAnswer(s, op, s.self, heldSiblings(s, op.key, s.config.sloppy), out);
  else {
    storeSiblings(s, op.key, op.storing, own[1], out);
    onAnswer(s, op, s.self, op.storing, out);
  }
}

/** A replica's answer to a coordinator: true when the message was one. */
export function onCoordinatorMessage(s: QuorumState, from: string, body: Body, out: Output[]): boolean {
  if (body.type !== 'q_get_ok' && body.type !== 'q_put_ok') return false;
  const op = s.ops.get(Number(body.op));
  const phase: Phase = body.type === 'q_get_ok' ? 'query' : 'store';
  if (op && op.phase === phase && op.asked.has(from)) onAnswer(s, op, from, phase === 'query' ? siblingsOf(body) : op.storing, out);
  return true;
}

function onAnswer(s: QuorumState, op: Operation, from: string, siblings: Sibling[], out: Output[]): void {
  if (op.replies.has(from)) return;
  op.replies.set(from, siblings);
  op.answered.add(from);
  if (op.replies.size < op.needed) return;
  out.push(cancelTimer(DEADLINE_TIMER + op.id), cancelTimer(FALLBACK_TIMER + op.id));
  if (op.phase === 'store') return finish(s, op, op.readAnswer ?? { type: 'write_ok' }, out);
  const seen = [...op.replies.values()].reduce<Sibling[]>((all, x) => mergeSiblings(all, x), []);
  if (op.op === 'write') {
    const { version, issued } = nextVersion(s.config.versioning, seen, s.self, s.lastIssued);
    s.lastIssued = issued;
    op.storing = [{ value: op.request.value, version }];
    return beginPhase(s, op, 'store', out);
  }
  answerRead(s, op, seen, out);
}

function answerRead(s: QuorumState, op: Operation, seen: Sibling[], out: Output[]): void {
  const winner = newest(seen);
  const answer: Body = winner ? { type: 'read_ok', value: winner.value } : errorBody(ERROR_KEY_DOES_NOT_EXIST, 'key does not exist');
  const stale = [...op.replies].filter(([, held]) => !sameSiblings(held, seen));
  op.siblings = seen.length;
  op.replicasBehind = stale.length;
  op.behind = winner ? Math.max(0, ...stale.map(([, held]) => versionsBehind(winner.version, newest(held)?.version))) : 0;
  if (stale.length > 0) s.counts.staleReads++;
  if (seen.length > 1) s.counts.conflictingReads++;
  if (stale.length === 0 || !s.config.readRepair) return finish(s, op, answer, out);
  if (isStrict(s)) {
    // ABD's write-back: no later read may return an older value than this one did.
    op.storing = seen;
    op.readAnswer = answer;
    return beginPhase(s, op, 'store', out);
  }
  // Weak quorums repair in the background, only the home replicas that answered stale.
  for (const [node] of stale) {
    if (!op.preferred.includes(node)) continue;
    if (node === s.self) storeSiblings(s, op.key, seen, null, out);
    else out.push(send(node, { type: 'q_put', op: 0, key: op.key, siblings: seen }));
  }
  finish(s, op, answer, out);
}

/** Sloppy quorum: home replicas that have not answered get a stand-in each, which keeps a hint. */
export function onFallbackTimer(s: QuorumState, id: number, out: Output[]): void {
  const op = s.ops.get(id);
  if (!op) return;
  const silent = op.preferred.filter((node) => !op.replies.has(node));
  const standIns = op.fallbacks.filter((node) => !op.asked.has(node)).slice(0, silent.length);
  askAll(s, op, standIns.map((node, i) => [node, op.phase === 'store' ? silent[i] : null]), out);
}

/**
 * Too few answers in time. Nothing was stored before the store phase, so that is a definite
 * failure; a write whose store phase began may have reached some replicas: indefinite.
 */
export function onDeadline(s: QuorumState, id: number, out: Output[]): void {
  const op = s.ops.get(id);
  if (!op) return;
  out.push(cancelTimer(FALLBACK_TIMER + op.id));
  const counted = `${op.replies.size} of ${op.needed} ${op.phase === 'query' ? 'R' : 'W'} replicas answered in ${s.config.timeoutMs} ms`;
  const indefinite = op.phase === 'store' && op.op === 'write';
  finish(s, op, indefinite ? errorBody(ERROR_TIMEOUT, `${counted}; the write may have taken effect`) : errorBody(ERROR_TEMPORARILY_UNAVAILABLE, counted), out);
}

function finish(s: QuorumState, op: Operation, answer: Body, out: Output[]): void {
  s.ops.delete(op.id);
  out.push(reply(op.client, op.request, answer));
  out.push(
    event('quorum-op', {
      op: op.op,
      key: op.key,
      ok: answer.type !== 'error',
      ...(answer.type === 'error' && { code: answer.code }),
      contacted: [...op.contacted],
      answered: [...op.answered],
      hinted: Object.fromEntries(op.hintedFor),
      ...(op.op === 'read' && { behind: op.behind, replicasBehind: op.replicasBehind, siblings: op.siblings }),
    }),
  );
  if (op.op === 'read') out.push(metric('stale_reads', s.counts.staleReads), metric('conflicting_reads', s.counts.conflictingReads));
}
