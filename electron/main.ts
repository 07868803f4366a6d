// Distlab's Electron main process, kept thin: one window, the menu, IPC wiring, and the
// engine host in a utility process. The engine never runs here.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, shell } from 'electron';
import type { ApiErrorPayload } from '../core/api/contract.js';
import { appPaths } from './app-paths.js';
import { registerAppScheme, RendererNotBuilt, serveRenderer } from './app-protocol.js';
import { EngineHost } from './engine-host.js';
import { forwardEvent, sendMenuCommand, wireIpc } from './ipc.js';
import { buildMenu } from './menu.js';
import { spawnUtilityHost } from './utility-host.js';
import { createMainWindow, hardenContents } from './window.js';

const files = appPaths(fileURLToPath(import.meta.url), app.isPackaged);

// Before ready: the scheme's privileges, the sandbox for every renderer, and the same data
// folder as the CLI (core/store/default-path.ts), whatever the package's name.
registerAppScheme();
app.enableSandbox();
app.setName('Distlab');
app.setPath('userData', path.join(app.getPath('appData'), 'Distlab'));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  run();
}

function run(): void {
  const dbPath = process.env.DISTLAB_DB || path.join(app.getPath('userData'), 'distlab.db');
  let mainWindow: BrowserWindow | null = null;

  const host = new EngineHost({
    spawn: () => spawnUtilityHost({ entry: files.hostEntry, dbPath, presetsDir: files.presets }),
    onEvent: (event, payload) => forwardEvent(mainWindow, event, payload),
    onCrash: ({ code, restarting, interruptedRuns }) => {
      const runs = interruptedRuns.length > 0 ? ` Run${interruptedRuns.length > 1 ? 's' : ''} ${interruptedRuns.join(', ')} stopped; what was recorded up to the crash is kept.` : '';
      void showMessage(mainWindow, 'error', 'The engine stopped unexpectedly', `It exited with code ${code ?? '(a signal)'}.${runs} ${restarting ? 'It has been restarted.' : 'It stopped several times in a row and was not restarted: restart Distlab.'}`);
    },
    onFatal: (error) => void showMessage(mainWindow, 'error', 'The engine cannot start', fatalDetail(error, dbPath)),
  });

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Runs belong to the window: closing it ends them, on macOS too.
  app.on('window-all-closed', () => app.quit());

  // Quitting ends every node: the host stops its runs and saves them, or is killed after a grace period.
  app.on('before-quit', (event) => {
    if (host.stopped) return;
    event.preventDefault();
    void host.stop().finally(() => app.quit());
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  void app.whenReady().then(() => {
    try {
      serveRenderer(files.renderer);
    } catch (error) {
      if (!(error instanceof RendererNotBuilt)) throw error;
      dialog.showErrorBox('Distlab cannot start', error.message);
      app.exit(1);
      return;
    }
    host.start();
    wireIpc(host, () => mainWindow);
    Menu.setApplicationMenu(
      buildMenu({
        command: (command) => sendMenuCommand(mainWindow, command),
        openRunsFolder: () => openRunsFolder(dbPath),
        about: () => void showMessage(mainWindow, 'info', `Distlab ${app.getVersion()}`, aboutDetail(dbPath)),
        quit: () => app.quit(),
        developer: !app.isPackaged,
      }),
    );
    // Installed apps take their icon from the package (electron-builder.yml); from a checkout, Linux needs it here.
    mainWindow = createMainWindow(files.preload, process.platform === 'linux' && !app.isPackaged ? files.icon : undefined);
    mainWindow.on('closed', () => (mainWindow = null));
  });
}

function openRunsFolder(dbPath: string): void {
  // Each run's node data lives beside the database, in runs/<run id> (core/engine/run.ts).
  const folder = path.join(path.dirname(dbPath), 'runs');
  mkdirSync(folder, { recursive: true });
  void shell.openPath(folder).then((problem) => {
    if (problem) void showMessage(null, 'error', 'Cannot open the runs folder', `${folder}: ${problem}`);
  });
}

function aboutDetail(dbPath: string): string {
  return [
    'A laboratory for distributed systems: real node processes, a faulty network switch, live charts and a recording of every message.',
    '',
    `Database: ${dbPath}`,
    `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
  ].join('\n');
}

function fatalDetail(error: ApiErrorPayload, dbPath: string): string {
  const nativeMismatch = /NODE_MODULE_VERSION|compiled against a different Node\.js version|invalid ELF header|not a valid Win32 application|better_sqlite3\.node/i.test(error.message);
  const hint = nativeMismatch
    ? '\n\nbetter-sqlite3 is not built for this Electron. From a checkout, start the app with `npm start`, which prepares a build for Electron; an installed app brings its own.'
    : `\n\nThe database is ${dbPath}. Set DISTLAB_DB to use another file.`;
  return `${error.message}${hint}`;
}

async function showMessage(window: BrowserWindow | null, type: 'info' | 'error', message: string, detail: string): Promise<void> {
  const options = { type, title: 'Distlab', message, detail, buttons: ['OK'] };
  if (window && !window.isDestroyed()) await dialog.showMessageBox(window, options);
  else await dialog.showMessageBox(options);
}
