// The application menu. Commands that change the page (a new experiment, the theme) are sent
// to it on MENU_CHANNEL; the rest are done here.
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from './channels.js';

export interface MenuActions {
  command(command: MenuCommand): void;
  openRunsFolder(): void;
  about(): void;
  quit(): void;
  /** Reload and developer tools, when running from a checkout rather than installed. */
  developer: boolean;
}

export function buildMenu(actions: MenuActions, platform: NodeJS.Platform = process.platform): Menu {
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Experiment', accelerator: 'CmdOrCtrl+N', click: () => actions.command('new-experiment') },
        { label: 'Open Runs Folder', click: () => actions.openRunsFolder() },
        { type: 'separator' },
        mac ? { role: 'close' } : { label: 'Quit', accelerator: 'Ctrl+Q', click: () => actions.quit() },
      ],
    },
    // The experiment editor needs cut, copy, paste and undo; on macOS only a menu gives them keys.
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { label: 'Toggle Light/Dark Theme', accelerator: 'CmdOrCtrl+Shift+L', click: () => actions.command('toggle-theme') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(actions.developer ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    ...(mac ? [{ role: 'windowMenu' as const }] : []),
    {
      label: '&Help',
      role: 'help',
      submenu: [{ label: 'About Distlab', click: () => actions.about() }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
