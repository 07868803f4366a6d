import { describe, it, expect } from 'vitest';
import { cancelTimer, reply, rpc, rpcTimedOut, rpcTimer } from '../../core/sdk/index.js';
import { nodeClock } from '../../core/sdk/node-clock.js';
import { LogicalClocks } from '../../core/sdk/logical-clocks.js';
import { NodeRuntime, type NodeTransport, type TelemetryRecord } from '../../core/sdk/runtime.js';
import type { Body, Program } from '../../core/sdk/protocol.js';

describe('node clocks', () => {
  it('shifts by the skew and runs fast or slow by the drift', () => {
    let real = 1_000_000;
    const clock = nodeClock({ skewMs: -50, driftPpm: 1000 }, () => real);
    expect(clock()).toBe(1_000_000 - 50);
    real += 10_000;
    // 10 s of real time at +1000 ppm is 10.01 s on the node.
    expect(clock()).toBeCloseTo(1_000_000 - 50 + 10_010, 6);
  });

  it('is the real clock when there is nothing to change', () => {
    const real = () => 42;
    expect(nodeClock({ skewMs: 0, driftPpm: 0 }, real)).toBe(real);
  });
});

describe('rpc helpers', () => {
  it('send with a msg_id and a timer named after it; replies carry in_reply_to', () => {
    expect(rpc('n2', { type: 'get' }, 7, 250)).toEqual([
      { kind: 'send', to: 'n2', body: { type: 'get', msg_id: 7 } },
      { kind: 'setTimer', name: 'rpc:7', afterMs: 250 },
    ]);
    expect(cancelTimer(rpcTimer(7))).toEqual({ kind: 'cancelTimer', name: 'rpc:7' });
    expect(rpcTimedOut('rpc:7')).toBe(7);
    expect(rpcTimedOut('period')).toBeNull();
    expect(reply('c1', { type: 'get', msg_id: 3 }, { type: 'get_ok' })).toEqual({ kind: 'send', to: 'c1', body: { type: 'get_ok', in_reply_to: 3 } });
  });
});

describe('the runtime keeps logical clocks for the protocol', () => {
  const echoBack: Program = {
    name: 'echo-back',
    description: 'test',
    params: [],
    protocol: {
      init: () => [null, [{ kind: 'event', type: 'started' }]],
      step: (s, input) => [s, input.kind === 'message' ? [{ kind: 'send', to: input.from, body: { type: 'back' } }] : []],
    },
  };

  it('stamps sends, merges receives, and records receives and events with the clocks', () => {
    const sent: Array<[string, Body]> = [];
    const telemetry: TelemetryRecord[] = [];
    const transport: NodeTransport = {
      send: (to, body) => sent.push([to, body]),
      writable: () => true,
      onceWritable: () => {},
      telemetry: (records) => telemetry.push(...records),
    };
    const runtime = new NodeRuntime(echoBack, transport, { params: {}, seed: 1 });
    runtime.start('n1', ['n1', 'n2']);
    runtime.deliver('n2', { type: 'hello', lamport: 5, vc: { n2: 5 } });
    runtime.stop();
    // event (1), receive: max(1, 5) + 1 = 6, send: 7.
    expect(sent).toEqual([['n2', { type: 'back', lamport: 7, vc: { n1: 3, n2: 5 } }]]);
    const kinds = telemetry.map((r) => [r[1], r[2], r[4]]);
    expect(kinds).toEqual([
      ['event', 'started', 1],
      ['event', 'recv', 6],
    ]);
    expect(telemetry[1][3]).toEqual({ from: 'n2', type: 'hello', sentLamport: 5 });
  });

  it('merges vector clocks element-wise and ticks its own entry', () => {
    const clocks = new LogicalClocks('n2');
    clocks.tick();
    clocks.receive(3, { n1: 3, n3: 1 });
    expect(clocks.snapshot()).toEqual({ n1: 3, n2: 2, n3: 1 });
    expect(clocks.lamport).toBe(4);
  });
});

describe('program loaders', () => {
  it('load exactly the registered programs, each under its own name', async () => {
    const { loadProgram, loadableProgramNames } = await import('../../core/programs/loaders.js');
    const { programNames, findProgram } = await import('../../core/programs/registry.js');
    expect(loadableProgramNames().sort()).toEqual(programNames().sort());
    for (const name of programNames()) expect(await loadProgram(name)).toBe(findProgram(name));
  });
});
