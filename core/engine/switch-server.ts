// The switch's TCP side: built-in nodes connect on 127.0.0.1 and must greet with the
// run's secret token and their node id before any frame is routed.
import net from 'node:net';
import { FrameKind, FrameReader, encodeFrame, frameBody, frameKind } from '../sdk/wire.js';

export interface SwitchServerHooks {
  /** Returns the address of the node that may connect as `node`, or null to refuse. */
  admit(node: string): number | null;
  connected(address: number, socket: net.Socket): void;
  frame(frame: Buffer, address: number): void;
  oversize(address: number, bytes: number): void;
}

export interface ListenResult {
  server: net.Server;
  port: number;
  /** Set when the requested port was taken and a free one was used instead. */
  fallbackFrom?: number;
}

export async function listenSwitch(port: number, token: string, endpoints: string[], hooks: SwitchServerHooks): Promise<ListenResult> {
  const server = net.createServer({ noDelay: true }, (socket) => greet(socket, token, endpoints, hooks));
  try {
    return { server, port: await listen(server, port) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    return { server, port: await listen(server, 0), fallbackFrom: port };
  }
}

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function greet(socket: net.Socket, token: string, endpoints: string[], hooks: SwitchServerHooks): void {
  let address: number | null = null;
  socket.on('error', () => socket.destroy());
  const refuse = setTimeout(() => socket.destroy(), 10_000);
  const reader = new FrameReader(
    (frame) => {
      if (address !== null) {
        hooks.frame(frame, address);
        return;
      }
      address = accept(frame, token, hooks);
      if (address === null) {
        socket.destroy();
        return;
      }
      clearTimeout(refuse);
      socket.write(encodeFrame(FrameKind.welcome, 0, address, 'welcome', JSON.stringify({ endpoints })));
      hooks.connected(address, socket);
    },
    (bytes) => {
      if (address !== null) hooks.oversize(address, bytes);
      socket.destroy();
    },
  );
  socket.on('data', (chunk) => reader.push(chunk));
}

function accept(frame: Buffer, token: string, hooks: SwitchServerHooks): number | null {
  if (frameKind(frame) !== FrameKind.hello) return null;
  try {
    const hello = JSON.parse(frameBody(frame)) as { token?: unknown; node?: unknown };
    if (hello.token !== token || typeof hello.node !== 'string') return null;
    return hooks.admit(hello.node);
  } catch {
    return null;
  }
}
