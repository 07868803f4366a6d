// Happened-before on a set of messages (Lamport 1978): within a node, every event comes
// before the next; across nodes, a send comes before its receive. Each send and each
// delivered receive is an event. The causal past of an event is then, on every lane, a
// prefix of that lane's events, and its future a suffix, so a cone is one cut per lane.
import type { MessagePoint } from '../../../../../core/api/contract.js';

export type EventKind = 'send' | 'receive';

/** Event ids: the send of message i is 2i, its receive 2i + 1. */
export const sendId = (message: number): number => 2 * message;
export const receiveId = (message: number): number => 2 * message + 1;
export const messageOf = (event: number): number => event >> 1;
export const kindOf = (event: number): EventKind => (event & 1 ? 'receive' : 'send');

export interface CausalGraph {
  messages: readonly MessagePoint[];
  /** Per lane (node), its event ids in time order. */
  lanes: Map<string, number[]>;
  /** Position of each event in its lane; -1 for the receive of an undelivered message. */
  position: Int32Array;
}

export function eventLane(graph: CausalGraph, event: number): string {
  const m = graph.messages[messageOf(event)];
  return kindOf(event) === 'send' ? m[1] : m[2];
}

export function eventMs(graph: CausalGraph, event: number): number | null {
  const m = graph.messages[messageOf(event)];
  return kindOf(event) === 'send' ? m[4] : m[5];
}

export function buildCausalGraph(messages: readonly MessagePoint[]): CausalGraph {
  const lanes = new Map<string, number[]>();
  const add = (lane: string, event: number) => {
    let list = lanes.get(lane);
    if (!list) lanes.set(lane, (list = []));
    list.push(event);
  };
  messages.forEach((m, i) => {
    add(m[1], sendId(i));
    if (m[5] !== null) add(m[2], receiveId(i));
  });
  const position = new Int32Array(messages.length * 2).fill(-1);
  const ms = (event: number) => {
    const m = messages[messageOf(event)];
    return (kindOf(event) === 'send' ? m[4] : m[5]) as number;
  };
  for (const list of lanes.values()) {
    list.sort((a, b) => ms(a) - ms(b) || a - b);
    list.forEach((event, pos) => (position[event] = pos));
  }
  return { messages, lanes, position };
}

export interface CausalCone {
  event: number;
  /** Per lane, the last position that happened before the event (the event's own lane includes it). */
  pastCut: Map<string, number>;
  /** Per lane, the first position that happened after the event (the event's own lane includes it). */
  futureCut: Map<string, number>;
}

export function causalCone(graph: CausalGraph, event: number): CausalCone {
  const lane = eventLane(graph, event);
  const pos = graph.position[event];
  if (pos < 0) throw new Error(`event ${event} is the receive of a message that was never delivered`);
  return { event, pastCut: pastCut(graph, lane, pos), futureCut: futureCut(graph, lane, pos) };
}

function pastCut(graph: CausalGraph, lane: string, pos: number): Map<string, number> {
  const cut = new Map<string, number>([[lane, pos]]);
  const scanned = new Map<string, number>();
  const work = [lane];
  while (work.length) {
    const l = work.pop()!;
    const events = graph.lanes.get(l)!;
    const upTo = cut.get(l)!;
    for (let p = scanned.get(l) ?? 0; p <= upTo; p++) {
      const e = events[p];
      if (kindOf(e) !== 'receive') continue;
      const send = sendId(messageOf(e));
      const sendLane = eventLane(graph, send);
      const sendPos = graph.position[send];
      if (sendPos > (cut.get(sendLane) ?? -1)) {
        cut.set(sendLane, sendPos);
        work.push(sendLane);
      }
    }
    scanned.set(l, Math.max(scanned.get(l) ?? 0, upTo + 1));
  }
  return cut;
}

function futureCut(graph: CausalGraph, lane: string, pos: number): Map<string, number> {
  const cut = new Map<string, number>([[lane, pos]]);
  const scanned = new Map<string, number>();
  const work = [lane];
  while (work.length) {
    const l = work.pop()!;
    const events = graph.lanes.get(l)!;
    const from = cut.get(l)!;
    for (let p = scanned.get(l) ?? events.length - 1; p >= from; p--) {
      const e = events[p];
      if (kindOf(e) !== 'send') continue;
      const receive = receiveId(messageOf(e));
      const receivePos = graph.position[receive];
      if (receivePos < 0) continue;
      const receiveLane = eventLane(graph, receive);
      if (receivePos < (cut.get(receiveLane) ?? Infinity)) {
        cut.set(receiveLane, receivePos);
        work.push(receiveLane);
      }
    }
    scanned.set(l, Math.min(scanned.get(l) ?? Infinity, from - 1));
  }
  return cut;
}

/** Did `other` happen before the cone's event? */
export function inPast(graph: CausalGraph, cone: CausalCone, other: number): boolean {
  if (other === cone.event) return false;
  const pos = graph.position[other];
  const cut = cone.pastCut.get(eventLane(graph, other));
  return pos >= 0 && cut !== undefined && pos <= cut;
}

/** Did `other` happen after the cone's event? */
export function inFuture(graph: CausalGraph, cone: CausalCone, other: number): boolean {
  if (other === cone.event) return false;
  const pos = graph.position[other];
  const cut = cone.futureCut.get(eventLane(graph, other));
  return pos >= 0 && cut !== undefined && pos >= cut;
}

/** Which side of the cone a message's arrow belongs to, if any. */
export function messageSide(graph: CausalGraph, cone: CausalCone, message: number): 'past' | 'future' | 'self' | null {
  const send = sendId(message);
  const receive = receiveId(message);
  if (send === cone.event || receive === cone.event) return 'self';
  if (inFuture(graph, cone, send)) return 'future';
  if (graph.position[receive] >= 0 ? inPast(graph, cone, receive) : inPast(graph, cone, send)) return 'past';
  return null;
}

/** How many events lie in the cone's past and future. */
/** Events before, after, and concurrent with the cone's event (neither before nor after it). */
export function coneSize(graph: CausalGraph, cone: CausalCone): { past: number; future: number; concurrent: number } {
  let past = 0;
  let future = 0;
  let total = 0;
  for (const [lane, cut] of cone.pastCut) past += cut + 1 - (lane === eventLane(graph, cone.event) ? 1 : 0);
  for (const [lane, cut] of cone.futureCut) future += graph.lanes.get(lane)!.length - cut - (lane === eventLane(graph, cone.event) ? 1 : 0);
  for (const events of graph.lanes.values()) total += events.length;
  return { past, future, concurrent: Math.max(0, total - 1 - past - future) };
}
