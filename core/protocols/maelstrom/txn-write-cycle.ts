// A deliberately broken txn-list-append node. Every node runs a transaction on its own
// copy at once, answers, and sends the appends to the others later; a node applies the
// appends it receives in arrival order. Two nodes that append to the same keys at about
// the same time each put their own append first, so their lists disagree on the order:
// n1 has x = [1, 2] and y = [1, 2] while n2 has [2, 1] and [2, 1]. Reads of both show
// incompatible orders of the same appends, and transactions that depend on each other in a
// cycle, which no serial order allows.
import type { Output, Program, Protocol } from '../../sdk/index.js';
import { send, setTimer } from '../../sdk/index.js';
import { answer, fromPeer, listField, type MessageCounter } from './replies.js';
import { serveTxn } from './serialized-txn.js';
import { applyWrite, writesOf, WRITE_FUNCTION, type MicroOp, type TxnStore } from './txn-apply.js';

interface WriteCycleState extends MessageCounter {
  peers: string[];
  replicationMs: number;
  store: TxnStore;
  /** Appends made here and not yet sent to the others. */
  unsent: MicroOp[];
}

const REPLICATE_TIMER = 'replicate';

const protocol: Protocol<WriteCycleState> = {
  init({ self, peers, params }) {
    return [{ peers: peers.filter((p) => p !== self), replicationMs: Number(params.replicationDelay), store: new Map(), unsent: [], nextMsgId: 1 }, []];
  },
  step(state, input) {
    const out: Output[] = [];
    if (input.kind === 'timer') {
      if (input.name !== REPLICATE_TIMER) return [state, out];
      for (const peer of state.peers) out.push(send(peer, { type: 'replicate', writes: state.unsent }));
      state.unsent = [];
    } else if (fromPeer(state.peers, input.from) && input.body.type === 'replicate') {
      for (const write of listField(input.body, 'writes')) if (isAppend(write)) applyWrite(state.store, write);
    } else if (input.body.type === 'txn') {
      const result = serveTxn(state.store, input.body, 'list-append');
      if (result.type === 'txn_ok') replicateLater(state, result.txn as MicroOp[], out);
      out.push(answer(state, input.from, input.body, result));
    }
    return [state, out];
  },
};

/** Only appends travel; anything else (a corrupted "append") is ignored, as it would set a list to a bare value. */
const isAppend = (write: unknown): write is MicroOp => Array.isArray(write) && write.length === 3 && write[0] === WRITE_FUNCTION['list-append'];

function replicateLater(state: WriteCycleState, txn: MicroOp[], out: Output[]): void {
  const writes = writesOf(txn);
  if (writes.length === 0) return;
  if (state.unsent.length === 0) out.push(setTimer(REPLICATE_TIMER, state.replicationMs));
  state.unsent.push(...writes);
}

export const txnWriteCycle: Program = {
  name: 'txn-write-cycle',
  description:
    'BROKEN on purpose (txn-list-append): every node commits a transaction on its own copy at once and sends its appends to the others later, which apply them in arrival order. Two nodes appending to the same keys order them differently, so the transaction checker reports incompatible orders of the same appends and cycles of dependencies between transactions. Lesson: commit in one agreed order (one owner, or consensus), not locally.',
  params: [{ name: 'replicationDelay', default: 100, unit: 'ms', min: 0, description: 'time a node waits before sending its appends to the others; longer makes disagreements likelier' }],
  protocol,
};
