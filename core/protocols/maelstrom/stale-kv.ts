// A deliberately broken lin-kv node. Writes and cas go to one owner, which applies them in
// order, but every node answers reads from its own copy, and the owner sends its changes
// to the copies only after a delay. A client whose write was acknowledged can then read
// the old value at another node: a stale read, which no linearizable store may return.
import type { Body, Output, Program, Protocol } from '../../sdk/index.js';
import { malformedRequest, send, setTimer } from '../../sdk/index.js';
import { applyCommand, commandFromRequest, commandProblem } from '../raft/kv.js';
import { expireForward, forwardingState, forwardToOwner, relayOwnerAnswer, type Forwarding } from './owner-forwarding.js';
import { handleOnce } from '../forwarded/received-forwards.js';
import { ownerParams } from './owner-protocol.js';
import { answer, fromPeer, listField } from './replies.js';
import { valueKey } from './value-set.js';

interface Update {
  key: unknown;
  value: unknown;
  version: number;
}

interface StaleKvState extends Forwarding {
  self: string;
  peers: string[];
  replicationMs: number;
  /** JSON key → value: the owner's truth, or a node's possibly old copy of it. */
  kv: Map<string, unknown>;
  versions: Map<string, number>;
  /** The owner's changes not yet sent to the copies. */
  unsent: Update[];
}

const REPLICATE_TIMER = 'replicate';

const protocol: Protocol<StaleKvState> = {
  init({ self, peers, params, now }) {
    const forwarding = forwardingState(String(params.owner), Number(params.forwardTimeout), now);
    return [{ ...forwarding, self, peers: peers.filter((p) => p !== self), replicationMs: Number(params.replicationDelay), kv: new Map(), versions: new Map(), unsent: [] }, []];
  },
  step(state, input) {
    const out: Output[] = [];
    if (input.kind === 'timer') {
      if (input.name === REPLICATE_TIMER) sendUpdates(state, out);
      else expireForward(state, input.name, out);
    } else if (fromPeer(state.peers, input.from) && input.body.type === 'update') {
      for (const update of listField(input.body, 'updates')) applyUpdate(state, update as Update);
    } else if (!(fromPeer(state.peers, input.from) && relayOwnerAnswer(state, input.body, out))) {
      handleRequest(state, input.from, input.body, out);
    }
    return [state, out];
  },
};

function handleRequest(state: StaleKvState, from: string, body: Body, out: Output[]): void {
  const command = commandFromRequest(body);
  if (!command) return;
  const problem = commandProblem(command);
  if (problem) {
    out.push(answer(state, from, body, malformedRequest(body, problem)));
    return;
  }
  if (command.op === 'read' || state.self === state.owner) {
    handleOnce(state.receivedForwards, from, body, out, () => {
      const result = applyCommand(state.kv, command);
      if (command.op !== 'read' && result.type !== 'error') replicateLater(state, command.key, out);
      out.push(answer(state, from, body, result));
    });
  } else forwardToOwner(state, from, body, out);
}

function replicateLater(state: StaleKvState, key: unknown, out: Output[]): void {
  const version = (state.versions.get(valueKey(key)) ?? 0) + 1;
  state.versions.set(valueKey(key), version);
  if (state.unsent.length === 0) out.push(setTimer(REPLICATE_TIMER, state.replicationMs));
  state.unsent.push({ key, value: state.kv.get(valueKey(key)), version });
}

function sendUpdates(state: StaleKvState, out: Output[]): void {
  for (const peer of state.peers) out.push(send(peer, { type: 'update', updates: state.unsent }));
  state.unsent = [];
}

/** Copies keep the newest version of each key, whatever order the updates arrive in. */
function applyUpdate(state: StaleKvState, update: Update): void {
  if (typeof update?.version !== 'number' || update.version <= (state.versions.get(valueKey(update.key)) ?? 0)) return;
  state.versions.set(valueKey(update.key), update.version);
  state.kv.set(valueKey(update.key), update.value);
}

export const linKvStale: Program = {
  name: 'lin-kv-stale',
  description:
    'BROKEN on purpose (lin-kv): writes and cas go to one owner, but every node answers reads from its own copy, which the owner updates only after a delay. A read after an acknowledged write can return the old value, and the linearizability checker shows the offending operations. Lesson: reads must be ordered with writes too (read at the owner, or through the log).',
  params: [
    ...ownerParams,
    { name: 'replicationDelay', default: 200, unit: 'ms', min: 0, description: 'time the owner waits before sending its changes to the other copies; the window for stale reads' },
  ],
  protocol,
};
