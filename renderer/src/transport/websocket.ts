// Browser mode: the API over a WebSocket to `distlab serve`, authorised by the per-launch
// token that came in the page's URL (and was kept in a cookie by the server).
import type { ApiErrorPayload, ApiEvents, ArgOf, EventName, Method, ResultOf, Transport } from '../../../core/api/contract.js';
import { ApiCallError } from './api-error.js';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export function websocketTransport(url: string): Transport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('cannot reach the Distlab server; is `distlab serve` still running?'));
      ws.onclose = () => {
        socket = null;
        opened = null;
        for (const p of pending.values()) p.reject(new Error('the connection to the Distlab server closed'));
        pending.clear();
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as { id?: number; result?: unknown; error?: ApiErrorPayload; event?: string; payload?: unknown };
        if (data.event) {
          for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
          return;
        }
        const p = data.id === undefined ? undefined : pending.get(data.id);
        if (!p) return;
        pending.delete(data.id!);
        if (data.error) p.reject(new ApiCallError(data.error));
        else p.resolve(data.result);
      };
    });
    return opened;
  };

  return {
    async call<M extends Method>(method: M, arg: ArgOf<M>): Promise<ResultOf<M>> {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise<ResultOf<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, method, arg }));
      });
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      void connect().catch(() => {});
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}

/** The API's address on the server that served this page. */
export function serverApiUrl(location: Location): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}
