// Test doubles for the renderer's stores: a Transport answering from handlers (as the lab
// would), and an in-memory localStorage. Vitest runs in Node, which has neither.
import type { ApiEvents, ArgOf, EventName, Method, ResultOf, Transport } from '../../core/api/contract.js';
import type { KeyValueStorage } from '../../renderer/src/stores/persisted.js';

type Handler<M extends Method> = (arg: ArgOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;

export class FakeLab implements Transport {
  readonly calls: Array<{ method: Method; arg: unknown }> = [];
  private readonly handlers = new Map<Method, (arg: unknown) => unknown>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  handle<M extends Method>(method: M, handler: Handler<M>): this {
    this.handlers.set(method, handler as (arg: unknown) => unknown);
    return this;
  }

  async call<M extends Method>(method: M, arg: ArgOf<M>): Promise<ResultOf<M>> {
    this.calls.push({ method, arg });
    const handler = this.handlers.get(method);
    if (!handler) throw new Error(`FakeLab: no handler for ${method}`);
    return (await handler(arg)) as ResultOf<M>;
  }

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (payload: unknown) => void);
  }

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  callsOf(method: Method): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.arg);
  }
}

export class MemoryStorage implements KeyValueStorage {
  private readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    this.map.set(key, String(value));
  }
}

/** Installs a fresh localStorage on globalThis and returns it. */
export function installStorage(): MemoryStorage {
  const storage = new MemoryStorage();
  Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true, writable: true });
  return storage;
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
