// The engine host as an Electron utility process: a Node environment of its own, started
// from Electron's binary, so an installed app needs no system Node.
import { utilityProcess } from 'electron';
import type { HostChannel } from './engine-host.js';

export interface UtilityHostOptions {
  entry: string;
  dbPath: string;
  presetsDir: string;
}

export function spawnUtilityHost(options: UtilityHostOptions): HostChannel {
  const child = utilityProcess.fork(options.entry, ['--db', options.dbPath, '--presets', options.presetsDir], {
    serviceName: 'Distlab engine',
    stdio: 'inherit',
    env: { ...process.env },
  });
  return {
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill() {
      // utilityProcess.kill() is SIGTERM on POSIX, which the host treats as "stop gracefully".
      if (child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
          return;
        } catch {
          // Already gone.
        }
      }
      child.kill();
    },
  };
}
