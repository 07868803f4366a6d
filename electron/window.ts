// The one window, locked down: isolated and sandboxed page, no Node in it, no new windows,
// no navigation away from the app's own origin, no webviews, no permissions but copying.
import { BrowserWindow, shell, type WebContents } from 'electron';
import { APP_ENTRY_URL, isAppUrl } from './ipc-validation.js';

export function createMainWindow(preloadPath: string, iconPath: string | undefined): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Distlab',
    show: false,
    backgroundColor: '#15181d',
    ...(iconPath && { icon: iconPath }),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

/** Applied to every web contents the app creates, the main window's included. */
export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    // A link to the outside world opens in the user's browser, never in the app.
    if (/^https:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, permission, decide, details) => decide(permitted(permission, details.requestingUrl)));
  contents.session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permitted(permission, requestingOrigin));
}

/** The page may copy text (an experiment's YAML, a run's numbers) to the clipboard, and nothing else. */
function permitted(permission: string, url: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(url);
}
