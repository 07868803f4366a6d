// What only the desktop app offers beyond the API: the application menu's commands and the
// native folder picker. In a browser there is no bridge, and callers fall back to plain inputs.
export type MenuCommand = 'new-experiment' | 'toggle-theme';

interface DesktopBridge {
  onMenu(listener: (command: MenuCommand) => void): () => void;
  pickFolder(title?: string): Promise<string | null>;
}

function bridge(): DesktopBridge | null {
  const candidate = (globalThis as { distlab?: Partial<DesktopBridge> }).distlab;
  return candidate && typeof candidate.onMenu === 'function' && typeof candidate.pickFolder === 'function' ? (candidate as DesktopBridge) : null;
}

/** True under Electron, where a native folder picker exists. */
export function canPickFolder(): boolean {
  return bridge() !== null;
}

/** The chosen folder, or null when cancelled (or when there is no desktop bridge). */
export async function pickFolder(title: string): Promise<string | null> {
  return (await bridge()?.pickFolder(title)) ?? null;
}

/** Subscribes to the application menu; a no-op in a browser. */
export function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  return bridge()?.onMenu(listener) ?? (() => {});
}
