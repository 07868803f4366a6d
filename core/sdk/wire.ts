// Binary framing between built-in nodes and the switch.
// The switch routes on a fixed header and never parses the JSON body on its hot path.
//
// frame := u32 length-of-rest | u8 kind | u16 src | u16 dest | u16 typeLength | type (utf8) | body (utf8 JSON)
//
// The type is the message's `type` in UTF-8, as written (it is recorded from here). It may take
// up to MAX_TYPE_BYTES; a longer one is cut there, on a character boundary and marked with …,
// so that a frame stays well-formed and within MAX_FRAME_BYTES; the body still holds it whole.

export const FrameKind = {
  /** An application message between endpoints; goes through the link model. */
  message: 1,
  /** Node → engine telemetry batch (JSON array); never delayed or dropped. */
  telemetry: 2,
  /** Node → switch greeting: JSON { token, node }. */
  hello: 3,
  /** Switch → node answer to hello: JSON { endpoints: string[] } (index = address). */
  welcome: 4,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export const HEADER_BYTES = 4 + 1 + 2 + 2 + 2;
/** A body of up to 1 MiB, plus the header and the type. */
export const MAX_FRAME_BYTES = 1024 * 1024 + 1024;
/** The longest type a frame carries, in UTF-8 bytes: what the 1 KiB beyond the body leaves after the header. */
export const MAX_TYPE_BYTES = 1024 - HEADER_BYTES;
const CUT_MARK = '…';
/** Address 0 is the engine itself: init, init_ok and telemetry travel to and from it. */
export const ENGINE_ADDRESS = 0;
export const ENGINE_ENDPOINT_ID = 'c0';

export function encodeFrame(kind: FrameKind, src: number, dest: number, type: string, body: string): Buffer {
  let typeLength = Buffer.byteLength(type, 'utf8');
  if (typeLength > MAX_TYPE_BYTES) {
    type = fitType(type);
    typeLength = Buffer.byteLength(type, 'utf8');
  }
  const bodyLength = Buffer.byteLength(body, 'utf8');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + typeLength + bodyLength);
  frame.writeUInt32LE(frame.length - 4, 0);
  frame.writeUInt8(kind, 4);
  frame.writeUInt16LE(src, 5);
  frame.writeUInt16LE(dest, 7);
  frame.writeUInt16LE(typeLength, 9);
  frame.write(type, HEADER_BYTES, 'utf8');
  frame.write(body, HEADER_BYTES + typeLength, 'utf8');
  return frame;
}

/**
 * A type over MAX_TYPE_BYTES, cut to fit on a character boundary (never inside a UTF-8
 * sequence or a surrogate pair) and ended with …. Said once per process on stderr: in a
 * node that is its log.
 */
export function fitType(type: string): string {
  const bytes = Buffer.byteLength(type, 'utf8');
  if (bytes <= MAX_TYPE_BYTES) return type;
  const room = MAX_TYPE_BYTES - Buffer.byteLength(CUT_MARK, 'utf8');
  let used = 0;
  let end = 0;
  for (const char of type) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > room) break;
    used += size;
    end += char.length;
  }
  if (!warnedCut) {
    warnedCut = true;
    process.stderr.write(`distlab: a message type of ${bytes} bytes (UTF-8) was cut to ${MAX_TYPE_BYTES} bytes, the most a frame carries; the message's body keeps it whole\n`);
  }
  return type.slice(0, end) + CUT_MARK;
}
let warnedCut = false;

export function frameKind(frame: Buffer): FrameKind {
  return frame[4] as FrameKind;
}
export function frameSrc(frame: Buffer): number {
  return frame.readUInt16LE(5);
}
export function frameDest(frame: Buffer): number {
  return frame.readUInt16LE(7);
}
export function frameType(frame: Buffer): string {
  return frame.toString('utf8', HEADER_BYTES, HEADER_BYTES + frame.readUInt16LE(9));
}
export function frameBodyStart(frame: Buffer): number {
  return HEADER_BYTES + frame.readUInt16LE(9);
}
export function frameBody(frame: Buffer): string {
  return frame.toString('utf8', HEADER_BYTES + frame.readUInt16LE(9));
}
/** The same frame with another src written in; frames are owned by the switch once received. */
export function setFrameSrc(frame: Buffer, src: number): void {
  frame.writeUInt16LE(src, 5);
}

/**
 * Splits a byte stream into frames. Frames arrive as subarrays of the received chunks
 * where possible, so routing a frame copies nothing.
 */
export class FrameReader {
  private pending: Buffer | null = null;

  constructor(
    private readonly onFrame: (frame: Buffer) => void,
    private readonly onOversize: (bytes: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let offset = 0;
    while (data.length - offset >= 4) {
      const rest = data.readUInt32LE(offset);
      if (rest + 4 > MAX_FRAME_BYTES || rest < HEADER_BYTES - 4) {
        this.onOversize(rest + 4);
        // The stream can no longer be trusted to be aligned on frames.
        this.pending = null;
        return;
      }
      const end = offset + 4 + rest;
      if (end > data.length) break;
      this.onFrame(data.subarray(offset, end));
      offset = end;
    }
    if (offset < data.length) this.pending = Buffer.from(data.subarray(offset));
  }
}
