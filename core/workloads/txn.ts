// Maelstrom's txn-rw-register and txn-list-append workloads: each request is one transaction
// of 1…maxTxnLength micro-operations [f, k, v] over a few integer keys. Written (appended)
// values are unique per key, so that a checker can recover version orders from reads.
import type { Body } from '../sdk/protocol.js';
import { RequestWorkload, wrongReply, type Pending, type Request, type Verdict } from './request-workload.js';

export type MicroOp = [string, number, unknown];

export class TxnWorkload extends RequestWorkload {
  private readonly nextValue = new Map<number, number>();

  private get writeF(): string {
    return this.spec.kind === 'txn-list-append' ? 'append' : 'w';
  }

  protected nextRequest(): Request {
    const length = 1 + this.rng.int(this.spec.maxTxnLength ?? 1);
    const txn: MicroOp[] = [];
    for (let i = 0; i < length; i++) {
      const key = this.rng.int(this.spec.keys);
      if (this.rng.next() < 0.5) {
        txn.push(['r', key, null]);
      } else {
        const value = (this.nextValue.get(key) ?? 0) + 1;
        this.nextValue.set(key, value);
        txn.push([this.writeF, key, value]);
      }
    }
    return { op: 'txn', body: { type: 'txn', txn }, detail: { txn } };
  }

  protected judge(reply: Body, request: Pending): Verdict {
    if (reply.type !== 'txn_ok') return wrongReply(`expected txn_ok, got ${reply.type}`);
    const sent = request.detail.txn as MicroOp[];
    const result = reply.txn;
    if (!Array.isArray(result)) return wrongReply('txn_ok without a txn list');
    if (result.length !== sent.length) return wrongReply(`txn_ok has ${result.length} micro-operations, the request had ${sent.length}`);
    for (let i = 0; i < sent.length; i++) {
      const problem = this.mopProblem(sent[i], result[i]);
      if (problem) return wrongReply(`txn_ok's micro-operation ${i}: ${problem}`);
    }
    return { outcome: 'ok', detail: { result } };
  }

  /** Why a returned micro-operation does not answer the one sent, or null. */
  private mopProblem([f, k, v]: MicroOp, got: unknown): string | null {
    if (!Array.isArray(got) || got.length !== 3) return 'not an [f, k, v] triple';
    if (got[0] !== f || got[1] !== k) return `expected ${JSON.stringify([f, k])}, got ${JSON.stringify(got.slice(0, 2))}`;
    if (f !== 'r') return got[2] === v ? null : `the written value ${JSON.stringify(v)} came back as ${JSON.stringify(got[2])}`;
    if (this.spec.kind === 'txn-list-append' && got[2] !== null && !Array.isArray(got[2])) return 'a read of a list is neither a list nor null';
    return null;
  }
}
