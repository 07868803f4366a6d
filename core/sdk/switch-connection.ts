// The node side of the switch link: one TCP socket on 127.0.0.1, binary frames.
import net from 'node:net';
import type { Body } from './protocol.js';
import type { NodeTransport, TelemetryRecord } from './runtime.js';
import { ENGINE_ADDRESS, FrameKind, FrameReader, encodeFrame, frameBody, frameKind, frameSrc, frameType } from './wire.js';

export interface SwitchHandlers {
  onWelcome(endpoints: string[]): void;
  onMessage(from: string, type: string, body: string): void;
  onClose(): void;
}

export class SwitchConnection implements NodeTransport {
  private readonly socket: net.Socket;
  private endpoints: string[] = [];
  private readonly addressOf = new Map<string, number>();
  private corked = false;

  constructor(port: number, token: string, node: string, private readonly handlers: SwitchHandlers) {
    this.socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    const reader = new FrameReader(
      (frame) => this.onFrame(frame),
      (bytes) => process.stderr.write(`distlab: dropped an oversized frame of ${bytes} bytes from the switch\n`),
    );
    this.socket.on('data', (chunk) => reader.push(chunk));
    this.socket.on('close', () => handlers.onClose());
    this.socket.on('error', () => handlers.onClose());
    this.write(encodeFrame(FrameKind.hello, 0, ENGINE_ADDRESS, 'hello', JSON.stringify({ token, node })));
  }

  send(to: string, body: Body): void {
    const dest = this.addressOf.get(to);
    // Unknown names still go to the switch, which records them as undeliverable.
    const frame = encodeFrame(FrameKind.message, 0, dest ?? 0xffff, body.type, JSON.stringify(dest === undefined ? { ...body, __to: to } : body));
    this.write(frame);
  }

  sendToEngine(type: string, body: Body): void {
    this.write(encodeFrame(FrameKind.message, 0, ENGINE_ADDRESS, type, JSON.stringify(body)));
  }

  telemetry(records: TelemetryRecord[]): void {
    this.write(encodeFrame(FrameKind.telemetry, 0, ENGINE_ADDRESS, 'telemetry', JSON.stringify(records)));
  }

  writable(): boolean {
    return !this.socket.writableNeedDrain;
  }

  onceWritable(resume: () => void): void {
    this.socket.once('drain', resume);
  }

  close(): void {
    this.socket.end();
  }

  // Frames written in one turn of the event loop leave in one syscall.
  private write(frame: Buffer): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(frame);
  }

  private onFrame(frame: Buffer): void {
    const kind = frameKind(frame);
    if (kind === FrameKind.welcome) {
      this.endpoints = (JSON.parse(frameBody(frame)) as { endpoints: string[] }).endpoints;
      this.endpoints.forEach((name, address) => this.addressOf.set(name, address));
      this.handlers.onWelcome(this.endpoints);
    } else if (kind === FrameKind.message) {
      this.handlers.onMessage(this.endpoints[frameSrc(frame)] ?? '?', frameType(frame), frameBody(frame));
    }
  }
}
