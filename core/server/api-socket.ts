// The WebSocket side of the API: one JSON text frame per request and per reply.
//   client → server  { id, method, arg }
//   server → client  { id, result } or { id, error: ApiErrorPayload }
//   server → client  { event, payload } for every Lab event
import type { RawData, WebSocket } from 'ws';
import type { ApiErrorPayload } from '../api/contract.js';
import { errorPayload } from '../api/errors.js';
import type { Lab } from '../api/lab.js';

export const MAX_FRAME_BYTES = 1 << 20;
/** A client that lets this much pile up unread is cut off rather than grow the server's memory. */
export const MAX_BUFFERED_BYTES = 64 << 20;
const MAX_ID_CHARS = 128;

export type RequestId = number | string;

export interface ApiRequest {
  id: RequestId;
  method: string;
  arg: unknown;
}

/** A parsed request, or the error to answer (with the id, when one could be read). */
export function parseRequest(data: RawData, isBinary: boolean): ApiRequest | { id: RequestId | null; error: ApiErrorPayload } {
  const bad = (message: string, id: RequestId | null = null) => ({ id, error: { kind: 'input' as const, message } });
  if (isBinary) return bad('expected a text frame holding JSON like {"id":1,"method":"lab.info","arg":null}');
  let frame: unknown;
  try {
    frame = JSON.parse(rawText(data));
  } catch (error) {
    return bad(`the frame is not JSON: ${(error as Error).message}`);
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return bad('expected an object like {"id":1,"method":"lab.info","arg":null}');
  const { id, method, arg } = frame as Record<string, unknown>;
  const validId = (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= MAX_ID_CHARS);
  if (!validId) return bad(`id: expected a number or a string of at most ${MAX_ID_CHARS} characters`);
  if (typeof method !== 'string') return bad('method: expected the name of an API method, like "lab.info"', id as RequestId);
  const unknownKeys = Object.keys(frame).filter((key) => key !== 'id' && key !== 'method' && key !== 'arg');
  if (unknownKeys.length > 0) return bad(`unknown keys ${unknownKeys.map((k) => `"${k}"`).join(', ')}; a request has id, method and arg`, id as RequestId);
  return { id: id as RequestId, method, arg };
}

/** Serves one connection: each request goes to the lab, each answer goes back with its id. */
export function serveApiSocket(ws: WebSocket, lab: Lab): void {
  // A frame over the limit or a broken frame ends this connection (ws closes it with the
  // right code); it must not reach the process as an unhandled error.
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    const request = parseRequest(data, isBinary);
    if ('error' in request) {
      send(ws, JSON.stringify(request));
      return;
    }
    lab.call(request.method, request.arg).then(
      (result) => send(ws, JSON.stringify({ id: request.id, result: result ?? null })),
      (error: unknown) => send(ws, JSON.stringify({ id: request.id, error: errorPayload(error) })),
    );
  });
}

/** Sends if the socket is open; a client that stopped reading is cut off. */
export function send(ws: WebSocket, text: string): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    ws.terminate();
    return;
  }
  ws.send(text);
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
