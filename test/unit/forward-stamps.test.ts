// The shared dedup of forwarded requests (core/protocols/forwarded/): stamps, the receiver's
// memory of them, and its bounds.
import { describe, expect, it } from 'vitest';
import type { Body, Output } from '../../core/sdk/index.js';
import { forwardStamper, stampForward, stampOf, STAMP_FIELD } from '../../core/protocols/forwarded/forward-stamp.js';
import { handleOnce, isDuplicateForward, MAX_ABOVE, MAX_BOOTS, MAX_REPLIES, receivedForwards, type ReceivedForwards } from '../../core/protocols/forwarded/received-forwards.js';

const request = (msgId: number): Body => ({ type: 'write', key: 1, value: 2, msg_id: msgId });

/** Handles `body` from `from` once per stamp, answering write_ok; returns what was sent and whether it was applied. */
function take(received: ReceivedForwards, from: string, body: Body): { applied: boolean; out: Output[] } {
  const out: Output[] = [];
  let applied = false;
  handleOnce(received, from, body, out, () => {
    applied = true;
    out.push({ kind: 'send', to: from, body: { type: 'write_ok', msg_id: 100 + Number(body.msg_id), in_reply_to: body.msg_id } });
  });
  return { applied, out };
}

describe('forward stamps', () => {
  it('number a forwarder\'s forwards 1, 2, 3… under its boot time, without changing the request otherwise', () => {
    const stamper = forwardStamper(1_700_000_000_123.5);
    const first = stampForward(stamper, request(7));
    const second = stampForward(stamper, request(8));
    expect(first).toEqual({ ...request(7), [STAMP_FIELD]: { boot: 1_700_000_000_123.5, seq: 1 } });
    expect(stampOf(second)).toEqual({ boot: 1_700_000_000_123.5, seq: 2 });
  });

  it('a missing or malformed stamp is no stamp: the message is taken as new, every time', () => {
    for (const stamp of [undefined, null, 3, 'x', {}, { boot: 1 }, { boot: 1, seq: 0 }, { boot: 1, seq: 1.5 }, { boot: 'a', seq: 1 }, { boot: Infinity, seq: 1 }]) {
      const body = { ...request(1), [STAMP_FIELD]: stamp };
      expect(stampOf(body)).toBeNull();
      const received = receivedForwards();
      expect(take(received, 'n2', body).applied).toBe(true);
      expect(take(received, 'n2', body).applied).toBe(true);
    }
  });
});

describe('received forwards', () => {
  it('a duplicated forward is applied once and answered again with the first answer', () => {
    const received = receivedForwards();
    const forward = stampForward(forwardStamper(1000), request(5));
    const first = take(received, 'n2', forward);
    const again = take(received, 'n2', forward);
    expect(first.applied).toBe(true);
    expect(again.applied).toBe(false);
    expect(again.out).toEqual(first.out);
  });

  it('a duplicate whose answer was not given at once is dropped', () => {
    const received = receivedForwards();
    const forward = stampForward(forwardStamper(1000), request(5));
    const out: Output[] = [];
    handleOnce(received, 'n2', forward, out, () => undefined);
    expect(isDuplicateForward(received, 'n2', forward, out)).toBe(true);
    expect(out).toEqual([]);
  });

  it('tells forwarders apart, and a restarted forwarder (new boot time, sequence from 1 again) from its earlier incarnation', () => {
    const received = receivedForwards();
    const before = forwardStamper(1000);
    const f1 = stampForward(before, request(1));
    expect(take(received, 'n2', f1).applied).toBe(true);
    expect(take(received, 'n3', f1).applied).toBe(true); // same stamp from another node
    const restarted = forwardStamper(2500);
    const r1 = stampForward(restarted, request(1));
    expect(stampOf(r1)!.seq).toBe(stampOf(f1)!.seq);
    expect(take(received, 'n2', r1).applied).toBe(true);
    // Late copies of the earlier incarnation's forward are still known.
    expect(take(received, 'n2', f1).applied).toBe(false);
    expect(take(received, 'n2', r1).applied).toBe(false);
  });

  it('recognises duplicates arriving in any order, across gaps left by lost forwards', () => {
    const received = receivedForwards();
    const stamper = forwardStamper(1);
    const forwards = Array.from({ length: 50 }, (_, i) => stampForward(stamper, request(i + 1)));
    const delivered = forwards.filter((_, i) => i % 7 !== 3); // some are lost
    for (const f of [...delivered].reverse()) expect(take(received, 'n2', f).applied).toBe(true);
    for (const f of delivered) expect(take(received, 'n2', f).applied).toBe(false);
  });

  it('keeps its memory bounded: seen stamps per incarnation, incarnations per forwarder, answers', () => {
    const received = receivedForwards();
    const stamper = forwardStamper(1);
    const lost = stampForward(stamper, request(0)); // never arrives: a gap at sequence 1
    const forwards = Array.from({ length: 5 * MAX_ABOVE }, (_, i) => stampForward(stamper, request(i + 1)));
    for (const f of forwards) take(received, 'n2', f);
    const window = received.seen.get('n2')!.get(1)!;
    expect(window.above.size).toBeLessThanOrEqual(MAX_ABOVE);
    expect(window.through).toBe(5 * MAX_ABOVE + 1); // the gap was given up, then everything above was contiguous
    expect(received.replies.size).toBe(MAX_REPLIES);
    // The given-up gap counts as seen: a very late original is dropped (its forwarder answers error 0), never applied late.
    expect(take(received, 'n2', lost).applied).toBe(false);
    // Every forward is still recognised as a duplicate.
    for (const f of forwards) expect(take(received, 'n2', f).applied).toBe(false);
    // The newest answers are the ones kept.
    expect(take(received, 'n2', forwards.at(-1)!).out).toHaveLength(1);
    expect(take(received, 'n2', forwards[0]).out).toHaveLength(0);

    for (let boot = 2; boot < 2 + 3 * MAX_BOOTS; boot++) take(received, 'n2', stampForward(forwardStamper(boot), request(1)));
    expect(received.seen.get('n2')!.size).toBe(MAX_BOOTS);
  });
});
