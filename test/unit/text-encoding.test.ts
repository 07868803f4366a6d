// Text survives the frames between built-in nodes and the switch as written: the message
// type travels in UTF-8 (it was latin1, which turned "héllo→" into "héllo\x92"), and a type
// too long for a frame is cut cleanly instead of breaking the frame or the engine.
import { describe, it, expect } from 'vitest';
import {
  FrameKind,
  FrameReader,
  MAX_FRAME_BYTES,
  MAX_TYPE_BYTES,
  encodeFrame,
  fitType,
  frameBody,
  frameBodyStart,
  frameDest,
  frameKind,
  frameSrc,
  frameType,
} from '../../core/sdk/wire.js';

const TYPES = [
  'echo',
  'héllo→',
  '＝1+1',
  '日本語のメッセージ',
  'Ελληνικά',
  'кириллица',
  'עברית',
  'العربية',
  'हिन्दी',
  '한국어',
  '🎉',
  '👩‍👩‍👧‍👦 family',
  'e\u0301 (combining)',
  '\u0000nul and \u{10ffff}',
];

function frameOf(type: string, body: Record<string, unknown> = {}): Buffer {
  return encodeFrame(FrameKind.message, 3, 7, type, JSON.stringify({ type, ...body }));
}

describe('frames carry text as written', () => {
  it('round-trips types in every script, with emoji, and the body beside them', () => {
    for (const type of TYPES) {
      const frame = frameOf(type, { text: `${type} — body` });
      expect(frameType(frame), type).toBe(type);
      expect(JSON.parse(frameBody(frame)), type).toEqual({ type, text: `${type} — body` });
      expect(frameKind(frame)).toBe(FrameKind.message);
      expect(frameSrc(frame)).toBe(3);
      expect(frameDest(frame)).toBe(7);
      expect(frame.readUInt32LE(0)).toBe(frame.length - 4);
      expect(frame.length - frameBodyStart(frame)).toBe(Buffer.byteLength(frameBody(frame), 'utf8'));
    }
  });

  it('stores the type bytes as UTF-8 in the frame', () => {
    const frame = frameOf('héllo→');
    const start = frameBodyStart(frame) - Buffer.byteLength('héllo→', 'utf8');
    expect(frame.subarray(start, frameBodyStart(frame)).equals(Buffer.from('héllo→', 'utf8'))).toBe(true);
  });

  it('splits a stream of such frames however it is cut', () => {
    const frames = TYPES.map((type) => frameOf(type, { n: type.length }));
    const stream = Buffer.concat(frames);
    for (const step of [1, 2, 3, 7, 64]) {
      const seen: string[] = [];
      const reader = new FrameReader(
        (frame) => seen.push(`${frameType(frame)}|${frameBody(frame)}`),
        () => {
          throw new Error('oversize');
        },
      );
      for (let i = 0; i < stream.length; i += step) reader.push(Buffer.from(stream.subarray(i, i + step)));
      expect(seen).toEqual(TYPES.map((type) => `${type}|${JSON.stringify({ type, n: type.length })}`));
    }
  });
});

describe('long types', () => {
  it('keeps a type over 255 bytes whole (it used to throw RangeError and stop the engine)', () => {
    const type = 'é'.repeat(100) + 'x'.repeat(200); // 300 characters, 400 bytes in UTF-8
    const frame = frameOf(type);
    expect(frameType(frame)).toBe(type);
    const longest = 'x'.repeat(MAX_TYPE_BYTES);
    expect(frameType(frameOf(longest))).toBe(longest);
  });

  it('cuts a type over the limit on a character boundary, marks it, and keeps the body whole', () => {
    for (const unit of ['x', 'é', '日', '🎉', '👩‍👩‍👧']) {
      const type = unit.repeat(Math.ceil((MAX_TYPE_BYTES * 2) / Buffer.byteLength(unit)));
      const frame = frameOf(type);
      const cut = frameType(frame);
      expect(Buffer.byteLength(cut, 'utf8'), unit).toBeLessThanOrEqual(MAX_TYPE_BYTES);
      expect(cut.endsWith('…'), unit).toBe(true);
      expect(type.startsWith(cut.slice(0, -1)), unit).toBe(true);
      expect(cut, unit).not.toContain('\ufffd');
      expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(cut), unit).toBe(false);
      expect(JSON.parse(frameBody(frame)).type).toBe(type);
      expect(fitType(type)).toBe(cut);
    }
  });

  it('keeps a frame with the longest type and a 1 MiB body within the frame limit', () => {
    const body = 'b'.repeat(1024 * 1024);
    const frame = encodeFrame(FrameKind.message, 1, 2, 't'.repeat(3000), body);
    expect(frame.length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    const seen: Buffer[] = [];
    new FrameReader((f) => seen.push(f), () => seen.push(Buffer.alloc(0))).push(frame);
    expect(seen).toHaveLength(1);
    expect(frameBody(seen[0])).toBe(body);
  });
});
