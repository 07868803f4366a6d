// One Transport for the whole renderer: the preload bridge under Electron, the WebSocket
// to `distlab serve` in a browser. The views cannot tell them apart.
import type { Transport } from '../../../core/api/contract.js';
import { ipcTransport, type DistlabBridge } from './ipc.js';
import { serverApiUrl, websocketTransport } from './websocket.js';

let chosen: Transport | null = null;

export function transport(): Transport {
  if (!chosen) {
    const bridge = (globalThis as { distlab?: DistlabBridge }).distlab;
    chosen = bridge ? ipcTransport(bridge) : websocketTransport(serverApiUrl(window.location));
  }
  return chosen;
}

/** For tests: use this transport instead. */
export function useTransportForTests(t: Transport): void {
  chosen = t;
}

export { ApiCallError } from './api-error.js';
