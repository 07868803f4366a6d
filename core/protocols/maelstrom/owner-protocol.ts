// A node for a workload that one fixed owner serves alone: the owner answers requests from
// its own state, so every operation happens in one order, the order the owner receives
// them (linearizable, and strict-serializable for transactions). The cost is availability:
// clients cut off from the owner get timeouts, never a wrong answer.
import type { Body, Output, Params, ParamSpec, Protocol } from '../../sdk/index.js';
import { expireForward, forwardingState, forwardToOwner, relayOwnerAnswer, type Forwarding } from './owner-forwarding.js';
import { handleOnce } from '../forwarded/received-forwards.js';
import { answer, fromPeer } from './replies.js';

export interface OwnedService<S> {
  /** The request types the service answers; others are ignored. */
  requestTypes: ReadonlySet<string>;
  create(params: Params): S;
  /** The owner's answer to a request (type and fields; the ids are added around it). */
  serve(service: S, request: Body): Body;
}

export interface OwnerNodeState<S> extends Forwarding {
  self: string;
  peers: string[];
  service: S;
}

export const ownerParams: ParamSpec[] = [
  { name: 'owner', default: 'n1', orNodeId: true, description: 'the node that serves every request; the others forward to it' },
  { name: 'forwardTimeout', default: 1000, unit: 'ms', min: 1, description: 'how long a node waits for the owner before answering error 0 (timeout, outcome unknown)' },
];

export function ownerProtocol<S>(service: OwnedService<S>): Protocol<OwnerNodeState<S>> {
  return {
    init({ self, peers, params, now }) {
      const forwarding = forwardingState(String(params.owner), Number(params.forwardTimeout), now);
      return [{ ...forwarding, self, peers: peers.filter((p) => p !== self), service: service.create(params) }, []];
    },
    step(state, input) {
      const out: Output[] = [];
      if (input.kind === 'timer') expireForward(state, input.name, out);
      else if (fromPeer(state.peers, input.from) && relayOwnerAnswer(state, input.body, out)) return [state, out];
      else if (service.requestTypes.has(input.body.type)) {
        if (state.self === state.owner) handleOnce(state.receivedForwards, input.from, input.body, out, () => out.push(answer(state, input.from, input.body, service.serve(state.service, input.body))));
        else forwardToOwner(state, input.from, input.body, out);
      }
      return [state, out];
    },
  };
}
