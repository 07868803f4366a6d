// A switchless transport for the benchmark baseline: the same node program talks to
// its peers over direct loopback TCP connections, with the same framing.
import net from 'node:net';
import type { Body } from './protocol.js';
import type { NodeTransport, TelemetryRecord } from './runtime.js';
import { FrameKind, FrameReader, encodeFrame, frameBody, frameKind, frameType } from './wire.js';

export class DirectMesh implements NodeTransport {
  private readonly outgoing = new Map<string, net.Socket>();
  private readonly corked = new Set<net.Socket>();

  /** ports[i] is where node n(i+1) listens. */
  static async connect(self: string, ports: number[], onMessage: (from: string, type: string, body: string) => void): Promise<DirectMesh> {
    const mesh = new DirectMesh();
    const names = ports.map((_, i) => `n${i + 1}`);
    const server = net.createServer({ noDelay: true }, (socket) => {
      let from = '?';
      const reader = new FrameReader(
        (frame) => {
          if (frameKind(frame) === FrameKind.hello) from = (JSON.parse(frameBody(frame)) as { node: string }).node;
          else onMessage(from, frameType(frame), frameBody(frame));
        },
        () => socket.destroy(),
      );
      socket.on('data', (chunk) => reader.push(chunk));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(ports[names.indexOf(self)], '127.0.0.1', resolve));
    await Promise.all(
      names.filter((n) => n !== self).map(async (peer) => {
        const socket = await connectWithRetry(ports[names.indexOf(peer)]);
        socket.write(encodeFrame(FrameKind.hello, 0, 0, 'hello', JSON.stringify({ node: self })));
        mesh.outgoing.set(peer, socket);
      }),
    );
    return mesh;
  }

  send(to: string, body: Body): void {
    const socket = this.outgoing.get(to);
    if (!socket) return;
    if (!this.corked.has(socket)) {
      this.corked.add(socket);
      socket.cork();
      process.nextTick(() => {
        this.corked.delete(socket);
        socket.uncork();
      });
    }
    socket.write(encodeFrame(FrameKind.message, 0, 0, body.type, JSON.stringify(body)));
  }

  writable(): boolean {
    for (const socket of this.outgoing.values()) if (socket.writableNeedDrain) return false;
    return true;
  }

  onceWritable(resume: () => void): void {
    const blocked = [...this.outgoing.values()].find((s) => s.writableNeedDrain);
    if (blocked) blocked.once('drain', resume);
    else setImmediate(resume);
  }

  /** Telemetry goes to stdout as JSON lines for the benchmark harness. */
  telemetry(records: TelemetryRecord[]): void {
    process.stdout.write(JSON.stringify(records) + '\n');
  }
}

async function connectWithRetry(port: number): Promise<net.Socket> {
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
