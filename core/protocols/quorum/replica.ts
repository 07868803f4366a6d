// The replica side: answer a coordinator's query with the siblings held for a key, store
// what it sends (as a hinted copy when it stands in for another node), and hand hinted
// copies back to their home node once that node answers again.
import type { Body, Output } from '../../sdk/index.js';
import { metric, send, setTimer, state } from '../../sdk/index.js';
import type { KeyCopy, QuorumState } from './types.js';
import { mergeSiblings, sameSiblings, versionText, type Sibling } from './versions.js';
import { valueKey } from '../maelstrom/value-set.js';

export const HANDOFF_TIMER = 'handoff';

/** What this node holds for the key: its own replica and, if asked, the hinted copies of it. */
export function heldSiblings(s: QuorumState, key: unknown, withHints: boolean): Sibling[] {
  let siblings = s.store.get(valueKey(key))?.siblings ?? [];
  if (withHints) for (const held of s.hints.values()) siblings = mergeSiblings(siblings, held.get(valueKey(key))?.siblings ?? []);
  return siblings;
}

/** Stores siblings into the replica, or into the hinted copy held for `home`. */
export function storeSiblings(s: QuorumState, key: unknown, siblings: readonly Sibling[], home: string | null, out: Output[]): void {
  if (home === null || home === s.self) {
    mergeInto(s.store, key, siblings);
    reportReplicas(s, out);
    return;
  }
  const held = s.hints.get(home) ?? new Map<string, KeyCopy>();
  s.hints.set(home, held);
  mergeInto(held, key, siblings);
  reportHints(s, out);
  armHandoff(s, out);
}

function mergeInto(copies: Map<string, KeyCopy>, key: unknown, siblings: readonly Sibling[]): void {
  const k = valueKey(key);
  copies.set(k, { key, siblings: mergeSiblings(copies.get(k)?.siblings ?? [], siblings) });
}

/** A peer's replica message; true when it was one. */
export function onReplicaMessage(s: QuorumState, from: string, body: Body, out: Output[]): boolean {
  switch (body.type) {
    case 'q_get':
      out.push(send(from, { type: 'q_get_ok', op: body.op, siblings: heldSiblings(s, body.key, s.config.sloppy) }));
      return true;
    case 'q_put':
      storeSiblings(s, body.key, siblingsOf(body), typeof body.hint === 'string' ? body.hint : null, out);
      out.push(send(from, { type: 'q_put_ok', op: body.op }));
      return true;
    case 'q_handoff':
      for (const copy of copiesOf(body)) storeSiblings(s, copy.key, copy.siblings, null, out);
      out.push(send(from, { type: 'q_handoff_ok', copies: body.copies }));
      return true;
    case 'q_handoff_ok':
      onHandoffOk(s, from, copiesOf(body), out);
      return true;
    default:
      return false;
  }
}

/** Drops the hinted copies the home node now holds (unless newer ones came in meanwhile). */
function onHandoffOk(s: QuorumState, home: string, copies: KeyCopy[], out: Output[]): void {
  const held = s.hints.get(home);
  if (!held) return;
  for (const copy of copies) {
    const k = valueKey(copy.key);
    const mine = held.get(k);
    if (mine && sameSiblings(mine.siblings, copy.siblings)) {
      held.delete(k);
      s.counts.handoffs++;
    }
  }
  if (held.size === 0) s.hints.delete(home);
  reportHints(s, out);
}

/** Every interval, each home node with hinted copies is offered them again until it acks. */
export function onHandoffTimer(s: QuorumState, out: Output[]): void {
  s.handoffArmed = false;
  for (const [home, held] of s.hints) out.push(send(home, { type: 'q_handoff', copies: [...held.values()] }));
  armHandoff(s, out);
}

function armHandoff(s: QuorumState, out: Output[]): void {
  if (s.handoffArmed || s.hints.size === 0) return;
  s.handoffArmed = true;
  out.push(setTimer(HANDOFF_TIMER, s.config.timeoutMs));
}

export function siblingsOf(body: Body): Sibling[] {
  return Array.isArray(body.siblings) ? (body.siblings as Sibling[]).filter((x) => x && typeof x.version?.counter === 'number') : [];
}

function copiesOf(body: Body): KeyCopy[] {
  return Array.isArray(body.copies) ? (body.copies as KeyCopy[]).filter((c) => c && Array.isArray(c.siblings)) : [];
}

/** Keys the `replicas` state lists at most: it is recorded at every store. */
const REPORTED_KEYS = 50;

/** For the inspector: each key this node is a replica of → the values and versions it holds. */
function reportReplicas(s: QuorumState, out: Output[]): void {
  const replicas: Record<string, string> = {};
  for (const copy of [...s.store.values()].slice(0, REPORTED_KEYS)) {
    replicas[valueKey(copy.key)] = copy.siblings.map((x) => `${JSON.stringify(x.value)} ${versionText(x.version)}`).join(' | ');
  }
  if (s.store.size > REPORTED_KEYS) replicas['…'] = `and ${s.store.size - REPORTED_KEYS} more keys`;
  out.push(state('replicas', replicas));
}

/** For the inspector: home node → the keys held for it; and how many copies wait. */
export function reportHints(s: QuorumState, out: Output[]): void {
  const hints: Record<string, string[]> = {};
  let pending = 0;
  for (const [home, held] of s.hints) {
    const keys = [...held.values()].map((c) => valueKey(c.key));
    hints[home] = keys.length > REPORTED_KEYS ? [...keys.slice(0, REPORTED_KEYS), `and ${keys.length - REPORTED_KEYS} more`] : keys;
    pending += held.size;
  }
  out.push(state('hints', hints), metric('hints_pending', pending), metric('handoffs', s.counts.handoffs));
}
