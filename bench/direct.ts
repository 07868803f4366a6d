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

/** Starts the nodes and resolves once `done` says the telemetry seen so far is complete. */
export async function runDirect(program: string, count: number, params: Record<string, unknown>, done: (seen: DirectTelemetry[]) => boolean, timeoutMs = 120_000, niceness = 0): Promise<DirectTelemetry[]> {
  const ports = await freePorts(count);
  const seen: DirectTelemetry[] = [];
  const children = ports.map((_, i) => {
    const node = `n${i + 1}`;
    const child = spawn(process.execPath, [nodeMainPath()], {
      env: { ...process.env, DISTLAB_NODE_ID: node, DISTLAB_PROGRAM: program, DISTLAB_PARAMS: JSON.stringify(params), DISTLAB_DIRECT_PORTS: ports.join(',') },
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
  }
}
