// Time from starting a run until every node has answered init, and its floors on this
// machine: the same number of bare `node` processes started the same way (at most
// 2 × cores at once and niced by 5, as the engine's bring-up does), first ones that exit at once, then
// ones that connect to a TCP server, wait for one line and answer it, as a node answers
// init. What lies between the second floor and the run is ours; the rest is Node's start.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ConcurrencyGate } from '../core/engine/concurrency-gate.js';
import { newRun, tempDbPath } from './support.js';

export async function bringUp(nodes: number): Promise<{ nodes: number; ms: number; up: number }> {
  const run = newRun({ name: `bench-bring-up-${nodes}`, seed: 1, duration: '60s', nodes: { count: nodes, program: 'echo', initTimeout: '30s' } });
  let result = { nodes, ms: NaN, up: 0 };
  run.on('nodesUp', ({ elapsedMs, up }) => {
    result = { nodes, ms: elapsedMs, up };
    run.stop('completed');
  });
  await run.execute();
  return result;
}

/** The engine starts its nodes this much nicer than itself (node-process.ts); the floors' nodes are started alike. */
function nice(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    os.setPriority(pid, Math.min(19, os.getPriority() + 5));
  } catch {
    // not permitted here: equal priority, as for the engine's nodes
  }
}

/** As many node processes at once as the engine's bring-up starts. */
const gateSize = () => Math.max(2, 2 * os.availableParallelism());

/** A bare node that connects, waits for a line and answers it (CommonJS: no ES module loader, like the node bundle). */
const BARE_NODE = `const s = require('node:net').connect(Number(process.argv[2]), '127.0.0.1');
s.setNoDelay(true);
s.on('data', () => s.write('ok\\n'));
s.on('error', () => process.exit(1));
s.on('close', () => process.exit(0));
`;

/** n × `node -e 0`, at most gateSize at once: ms until the last has exited. */
export async function bareExitFloor(n: number): Promise<number> {
  const gate = new ConcurrencyGate(gateSize());
  const started = performance.now();
  await Promise.all(
    Array.from({ length: n }, () =>
      gate.run(() => new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
        nice(child.pid);
        child.once('error', reject);
        child.once('exit', () => resolve());
      })),
    ),
  );
  return performance.now() - started;
}

/** n bare nodes that connect to a server (the gate lets the next start once one connected), then each answers one line: ms until all answered. */
export async function bareConnectFloor(n: number): Promise<number> {
  const script = path.join(path.dirname(tempDbPath()), 'bare-node.cjs');
  writeFileSync(script, BARE_NODE);
  const waiting: Array<(socket: net.Socket) => void> = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    waiting.shift()?.(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const gate = new ConcurrencyGate(gateSize());
  const children: ReturnType<typeof spawn>[] = [];
  try {
    const started = performance.now();
    const sockets = await Promise.all(
      Array.from({ length: n }, () =>
        gate.run(() => new Promise<net.Socket>((resolve, reject) => {
          const child = spawn(process.execPath, [script, String(port)], { stdio: 'ignore' });
          children.push(child);
          nice(child.pid);
          child.once('error', reject);
          waiting.push(resolve);
        })),
      ),
    );
    await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => {
      socket.once('data', () => resolve());
      socket.write('init\n');
    })));
    const ms = performance.now() - started;
    for (const socket of sockets) socket.destroy();
    return ms;
  } finally {
    for (const child of children) child.kill('SIGKILL');
    server.close();
  }
}
