// Electron: the API through the preload bridge, which exposes only named, allowlisted calls.
import type { ApiErrorPayload, ApiEvents, ArgOf, EventName, Method, ResultOf, Transport } from '../../../core/api/contract.js';
import { ApiCallError } from './api-error.js';

/** What electron/preload exposes as `window.distlab`. */
export interface DistlabBridge {
  call(method: string, arg: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiErrorPayload }>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export function ipcTransport(bridge: DistlabBridge): Transport {
  return {
    async call<M extends Method>(method: M, arg: ArgOf<M>): Promise<ResultOf<M>> {
      const answer = await bridge.call(method, arg);
      if (!answer.ok) throw new ApiCallError(answer.error);
      return answer.result as ResultOf<M>;
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      return bridge.on(event, listener as (payload: unknown) => void);
    },
  };
}
