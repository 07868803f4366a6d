// The IPC channels between the preload and the main process; nothing else is listened to.
export const CALL_CHANNEL = 'distlab:call';
export const EVENT_CHANNEL = 'distlab:event';
export const MENU_CHANNEL = 'distlab:menu';
export const PICK_FOLDER_CHANNEL = 'distlab:pick-folder';

/** What the application menu asks the page to do. */
export const MENU_COMMANDS = ['new-experiment', 'toggle-theme'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** An event from the engine, as the main process forwards it on EVENT_CHANNEL. */
export interface ForwardedEvent {
  event: string;
  payload: unknown;
}
