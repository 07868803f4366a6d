// The sandboxed preload: the page gets `window.distlab`, a few named functions over the
// allowlisted channels, never ipcRenderer itself. Bundled with esbuild into one CommonJS
// file (dist/electron/preload.cjs), the method and event lists of the contract included.
import { contextBridge, ipcRenderer } from 'electron';
import type { ApiErrorPayload } from '../core/api/contract.js';
import { CALL_CHANNEL, EVENT_CHANNEL, MENU_CHANNEL, MENU_COMMANDS, PICK_FOLDER_CHANNEL, type ForwardedEvent, type MenuCommand } from './channels.js';
import { isEventName, isMethod } from './ipc-validation.js';

type Answer = { ok: true; result: unknown } | { ok: false; error: ApiErrorPayload };
type Listener = (payload: unknown) => void;

const eventListeners = new Map<string, Set<Listener>>();
const menuListeners = new Set<(command: MenuCommand) => void>();

ipcRenderer.on(EVENT_CHANNEL, (_event, message: ForwardedEvent) => {
  if (!message || !isEventName(message.event)) return;
  for (const listener of eventListeners.get(message.event) ?? []) listener(message.payload);
});

ipcRenderer.on(MENU_CHANNEL, (_event, command: unknown) => {
  if (!(MENU_COMMANDS as readonly unknown[]).includes(command)) return;
  for (const listener of menuListeners) listener(command as MenuCommand);
});

function requireFunction(value: unknown, what: string): asserts value is (...args: never[]) => void {
  if (typeof value !== 'function') throw new TypeError(`${what}: expected a function`);
}

contextBridge.exposeInMainWorld('distlab', {
  /** One API call; resolves with {ok, result} or {ok: false, error}, never rejects for an API error. */
  call(method: unknown, arg: unknown): Promise<Answer> {
    if (!isMethod(method)) {
      const message = `unknown method ${JSON.stringify(method)}`;
      return Promise.resolve({ ok: false, error: { kind: 'input', message, problems: [{ path: 'method', message }] } });
    }
    return ipcRenderer.invoke(CALL_CHANNEL, method, arg ?? null) as Promise<Answer>;
  },

  /** Listens to one engine event (run.data, run.status, export.progress, hunt.progress); returns the unsubscribe function. */
  on(event: unknown, listener: unknown): () => void {
    if (!isEventName(event)) throw new TypeError(`unknown event ${JSON.stringify(event)}`);
    requireFunction(listener, 'on');
    const set = eventListeners.get(event) ?? new Set<Listener>();
    eventListeners.set(event, set);
    const wrapped: Listener = (payload) => (listener as Listener)(payload);
    set.add(wrapped);
    return () => void set.delete(wrapped);
  },

  /** Listens to the application menu's commands ('new-experiment', 'toggle-theme'); returns the unsubscribe function. */
  onMenu(listener: unknown): () => void {
    requireFunction(listener, 'onMenu');
    const wrapped = (command: MenuCommand) => (listener as (command: MenuCommand) => void)(command);
    menuListeners.add(wrapped);
    return () => void menuListeners.delete(wrapped);
  },

  /** The native folder picker (for CSV export); resolves with the chosen folder, or null. */
  pickFolder(title?: unknown): Promise<string | null> {
    return ipcRenderer.invoke(PICK_FOLDER_CHANNEL, typeof title === 'string' ? title : undefined) as Promise<string | null>;
  },
});
