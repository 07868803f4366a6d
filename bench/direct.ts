// Runs a built-in program on N processes connected directly over loopback TCP (no
// switch), and collects their telemetry: the baseline the switch is compared with.
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { nodeMainPath } from '../core/engine/launch.js';
import type { TelemetryRecord } from '../core/sdk/runtime.js';

export interface DirectTelemetry {
  node: string;
  record: TelemetryRecord;
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

async function connectWithRetry(port: number): Promise<net.Socket> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (e) {
      if (attempt > 500) throw e;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * A bare relay in this process: for each node, a port whose connections are piped byte for
 * byte to the node's own port. Nodes that reach their peers through it pay one extra process
 * hop and nothing else: no parsing, no routing, no recording.
 */
async function startRelay(ports: number[]): Promise<{ ports: number[]; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const servers = await Promise.all(
    ports.map((target) => new Promise<net.Server>((resolve) => {
      const server = net.createServer((client) => {
        track(client);
        client.pause();
        // The node behind may not listen yet: retry, as the nodes' own mesh does.
        void connectWithRetry(target).then((upstream) => {
          track(upstream);
          client.pipe(upstream);
          upstream.pipe(client);
        });
      });
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  return {
    ports: servers.map((s) => (s.address() as net.AddressInfo).port),
    close: () => {
      for (const server of servers) server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

/**
 * Starts the nodes and resolves once `done` says the telemetry seen so far is complete. With
 * `viaRelay`, each node reaches its peers through a bare relay in this process.
 */
export async function runDirect(program: string, count: number, params: Record<string, unknown>, done: (seen: DirectTelemetry[]) => boolean, timeoutMs = 120_000, niceness = 0, viaRelay = false): Promise<DirectTelemetry[]> {
  const ports = await freePorts(count);
  const relay = viaRelay ? await startRelay(ports) : null;
  const seen: DirectTelemetry[] = [];
  const children = ports.map((_, i) => {
    const node = `n${i + 1}`;
    // A node listens on its own entry and connects to the others: through the relay, if any.
    const peerPorts = relay ? ports.map((port, j) => (j === i ? port : relay.ports[j])) : ports;
    const child = spawn(process.execPath, [nodeMainPath()], {
      env: { ...process.env, DISTLAB_NODE_ID: node, DISTLAB_PROGRAM: program, DISTLAB_PARAMS: JSON.stringify(params), DISTLAB_DIRECT_PORTS: peerPorts.join(',') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // The engine runs its nodes this much nicer than itself (node-process.ts); a floor measured beside them can too.
    if (niceness && child.pid) {
      try {
        os.setPriority(child.pid, Math.min(19, os.getPriority() + niceness));
      } catch {
        // not permitted here: equal priority
      }
    }
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) for (const record of JSON.parse(line) as TelemetryRecord[]) seen.push({ node, record });
    });
    return child;
  });
  try {
    const started = Date.now();
    while (!done(seen)) {
      if (Date.now() - started > timeoutMs) throw new Error(`direct ${program} run did not finish in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return seen;
  } finally {
    for (const child of children) child.kill('SIGKILL');
    relay?.close();
  }
}
