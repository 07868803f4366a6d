import { describe, it, expect } from 'vitest';
import type { Body } from '../../core/sdk/protocol.js';
import { createRng } from '../../core/engine/prng.js';
import { LinKv } from '../../core/services/lin-kv.js';
import { SeqKv } from '../../core/services/seq-kv.js';
import { LwwKv } from '../../core/services/lww-kv.js';
import { LinTso } from '../../core/services/lin-tso.js';
import type { Service } from '../../core/services/service.js';

const read = (key: unknown): Body => ({ type: 'read', key });
const write = (key: unknown, value: unknown): Body => ({ type: 'write', key, value });
const cas = (key: unknown, from: unknown, to: unknown, extra: Record<string, unknown> = {}): Body => ({ type: 'cas', key, from, to, ...extra });

/** The shared semantics of every kv service, seen by one client that only ever reads its own writes. */
function kvBasics(name: string, make: () => Service) {
  describe(`${name}: requests and errors as Maelstrom's`, () => {
    it('reads a missing key as error 20 and acknowledges a write', () => {
      const kv = make();
      expect(kv.handle('n1', read('x'))).toEqual({ type: 'error', code: 20, text: 'key does not exist' });
      expect(kv.handle('n1', write('x', 5))).toEqual({ type: 'write_ok' });
    });

    it('answers unknown types with 10 and malformed requests with 12, naming the missing field', () => {
      const kv = make();
      expect(kv.handle('n1', { type: 'delete', key: 'x' })).toMatchObject({ type: 'error', code: 10 });
      expect(kv.handle('n1', { type: 'read' })).toEqual({ type: 'error', code: 12, text: 'read needs "key"' });
      expect(kv.handle('n1', { type: 'write', key: 'x' })).toEqual({ type: 'error', code: 12, text: 'write needs "value"' });
      expect(kv.handle('n1', { type: 'cas', key: 'x', to: 1 })).toEqual({ type: 'error', code: 12, text: 'cas needs "from"' });
      expect(kv.handle('n1', cas('x', 1, 2, { create_if_not_exists: 'yes' }))).toMatchObject({ type: 'error', code: 12 });
    });
  });
}

kvBasics('lin-kv', () => new LinKv());
kvBasics('seq-kv', () => new SeqKv(createRng(1, 'seq-kv')));
kvBasics('lww-kv', () => new LwwKv(createRng(1, 'lww-kv')));

describe('lin-kv', () => {
  it('reads, writes and cas exactly as Maelstrom: 20 for a missing key, 22 for a wrong from', () => {
    const kv = new LinKv();
    expect(kv.handle('n1', cas('x', 1, 2))).toEqual({ type: 'error', code: 20, text: 'key does not exist' });
    expect(kv.handle('n1', cas('x', 1, 2, { create_if_not_exists: true }))).toEqual({ type: 'cas_ok' });
    expect(kv.handle('n2', read('x'))).toEqual({ type: 'read_ok', value: 2 });
    expect(kv.handle('n2', cas('x', 1, 3))).toEqual({ type: 'error', code: 22, text: 'current value 2 is not 1' });
    expect(kv.handle('n2', cas('x', 2, 3))).toEqual({ type: 'cas_ok' });
    expect(kv.handle('n1', read('x'))).toEqual({ type: 'read_ok', value: 3 });
  });

  it('takes any JSON as keys and values, compared by JSON equality whatever the order of fields', () => {
    const kv = new LinKv();
    kv.handle('n1', write({ a: 1, b: [1, 2] }, { set: [1, 2], n: null }));
    expect(kv.handle('n1', read({ b: [1, 2], a: 1 }))).toEqual({ type: 'read_ok', value: { set: [1, 2], n: null } });
    expect(kv.handle('n1', cas({ a: 1, b: [1, 2] }, { n: null, set: [1, 2] }, 'done'))).toEqual({ type: 'cas_ok' });
    // 1 and "1" are different keys, as in JSON.
    kv.handle('n1', write(1, 'number'));
    kv.handle('n1', write('1', 'string'));
    expect(kv.handle('n1', read(1))).toEqual({ type: 'read_ok', value: 'number' });
    expect(kv.handle('n1', read(null))).toMatchObject({ code: 20 });
  });
});

describe('seq-kv', () => {
  /** A history where n1 writes 1..20 to x and n2 reads after each write. */
  function readsBehindWrites(seed: number): number[] {
    const kv = new SeqKv(createRng(seed, 'seq-kv'));
    const seen: number[] = [];
    for (let i = 1; i <= 20; i++) {
      kv.handle('n1', write('x', i));
      const reply = kv.handle('n2', read('x'));
      seen.push(reply.type === 'read_ok' ? (reply.value as number) : 0);
    }
    return seen;
  }

  it('serves stale reads: a reader may lag behind the writes, but never goes back', () => {
    const seen = readsBehindWrites(7);
    expect(seen.some((value, i) => value < i + 1)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
  });

  it('is reproduced by its seed', () => {
    expect(readsBehindWrites(7)).toEqual(readsBehindWrites(7));
    expect(readsBehindWrites(7)).not.toEqual(readsBehindWrites(8));
  });

  it('lets a client read its own writes: a change moves the client to the newest state', () => {
    const kv = new SeqKv(createRng(3, 'seq-kv'));
    for (let i = 1; i <= 50; i++) {
      kv.handle('n1', write('x', i));
      expect(kv.handle('n1', read('x'))).toEqual({ type: 'read_ok', value: i });
    }
  });

  it('applies a cas that changes the store to the newest state, so counters built on cas lose nothing', () => {
    const kv = new SeqKv(createRng(5, 'seq-kv'));
    kv.handle('n1', write('counter', 0));
    let done = 0;
    let attempts = 0;
    const clients = ['n1', 'n2', 'n3'];
    while (done < 30 && attempts < 10_000) {
      const client = clients[attempts++ % clients.length];
      const current = kv.handle(client, read('counter'));
      const value = current.value as number;
      if (kv.handle(client, cas('counter', value, value + 1)).type === 'cas_ok') done++;
    }
    expect(done).toBe(30);
    // A fresh reader may be behind, but the writer that made the last change sees it.
    const last = clients[(attempts - 1) % clients.length];
    expect(kv.handle(last, read('counter'))).toEqual({ type: 'read_ok', value: 30 });
  });

  it('keeps only a window of past states: a client is at most that far behind', () => {
    const kv = new SeqKv(createRng(11, 'seq-kv'), 4);
    for (let i = 1; i <= 40; i++) kv.handle('n1', write('x', i));
    for (let i = 0; i < 50; i++) {
      const reply = kv.handle('n2', read('x'));
      expect(reply.value as number).toBeGreaterThanOrEqual(37);
    }
  });
});

describe('lww-kv', () => {
  it('serves each request from a random replica: reads miss writes until gossip spreads them', () => {
    const kv = new LwwKv(createRng(2, 'lww-kv'), 5);
    kv.handle('n1', write('x', 1));
    const before = Array.from({ length: 40 }, () => kv.handle('n2', read('x')));
    expect(before.some((r) => r.type === 'error' && r.code === 20)).toBe(true);
    expect(before.some((r) => r.type === 'read_ok' && r.value === 1)).toBe(true);
    for (let round = 0; round < 30 && !kv.converged(); round++) kv.gossip();
    expect(kv.converged()).toBe(true);
    const after = Array.from({ length: 40 }, () => kv.handle('n2', read('x')));
    expect(after.every((r) => r.type === 'read_ok' && r.value === 1)).toBe(true);
  });

  it('converges on the write with the highest timestamp, and loses the others', () => {
    const kv = new LwwKv(createRng(4, 'lww-kv'), 3);
    // Increments through cas, without gossip: each replica counts on its own, and all but one count is lost.
    for (let i = 0; i < 30; i++) {
      const reply = kv.handle('n1', read('c'));
      const value = reply.type === 'read_ok' ? (reply.value as number) : 0;
      kv.handle('n1', reply.type === 'read_ok' ? cas('c', value, value + 1) : write('c', 1));
    }
    for (let round = 0; round < 30 && !kv.converged(); round++) kv.gossip();
    const final = kv.handle('n1', read('c'));
    expect(final.type).toBe('read_ok');
    expect(final.value as number).toBeLessThan(30);
  });
});

describe('lin-tso', () => {
  it('answers ts with integers that strictly increase from 0, whoever asks', () => {
    const tso = new LinTso();
    expect([tso.handle('n1', { type: 'ts' }), tso.handle('n2', { type: 'ts' }), tso.handle('n1', { type: 'ts' })]).toEqual([
      { type: 'ts_ok', ts: 0 },
      { type: 'ts_ok', ts: 1 },
      { type: 'ts_ok', ts: 2 },
    ]);
    expect(tso.handle('n1', { type: 'read', key: 'x' })).toMatchObject({ type: 'error', code: 10 });
  });
});
