// The main process's IPC: calls from the app's own page only, checked, then forwarded to the
// engine host; the engine's events forwarded back, for the allowlisted names only.
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { ApiErrorPayload } from '../core/api/contract.js';
import { CALL_CHANNEL, EVENT_CHANNEL, MENU_CHANNEL, PICK_FOLDER_CHANNEL, type ForwardedEvent, type MenuCommand } from './channels.js';
import type { CallAnswer, EngineHost } from './engine-host.js';
import { checkCall, isAppUrl, isEventName } from './ipc-validation.js';

export function wireIpc(host: EngineHost, mainWindow: () => BrowserWindow | null): void {
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, arg: unknown): Promise<CallAnswer> => {
    const refused = senderProblem(event, mainWindow());
    if (refused) return { ok: false, error: refused };
    const checked = checkCall(method, arg);
    if (!checked.ok) return checked;
    return host.call(checked.method, checked.arg);
  });

  ipcMain.handle(PICK_FOLDER_CHANNEL, async (event, title: unknown): Promise<string | null> => {
    const window = mainWindow();
    if (senderProblem(event, window) || !window) return null;
    const result = await dialog.showOpenDialog(window, {
      title: typeof title === 'string' && title.length <= 200 ? title : 'Choose a folder',
      properties: ['openDirectory', 'createDirectory'],
    });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
}

/** Sends an engine event to the page, if it is one the page may hear. */
export function forwardEvent(window: BrowserWindow | null, event: string, payload: unknown): void {
  if (!window || window.isDestroyed() || !isEventName(event)) return;
  window.webContents.send(EVENT_CHANNEL, { event, payload } satisfies ForwardedEvent);
}

export function sendMenuCommand(window: BrowserWindow | null, command: MenuCommand): void {
  if (window && !window.isDestroyed()) window.webContents.send(MENU_CHANNEL, command);
}

/** Only the main window's top frame, showing the app's own page, may call the engine. */
function senderProblem(event: IpcMainInvokeEvent, window: BrowserWindow | null): ApiErrorPayload | null {
  const frame = event.senderFrame;
  const fromMainWindow = window !== null && !window.isDestroyed() && event.sender === window.webContents;
  const fromAppPage = frame !== null && frame.parent === null && isAppUrl(frame.url);
  if (fromMainWindow && fromAppPage) return null;
  return { kind: 'input', message: 'refused: only the Distlab window may call the engine' };
}
