// The engine host: a Lab in a process of its own, so that the desktop app's main process
// never waits on SQLite or the switch. Electron starts it with utilityProcess.fork (messages
// through process.parentPort); plain Node, in the tests, with child_process.fork (process.send).
//
// Protocol, one message per value:
//   parent → host  {id, method, arg}                      a call of the API
//                  {shutdown: true}                        stop the runs, save them, exit
//   host → parent  {id, ok: true, result} | {id, ok: false, error}
//                  {event, payload}                        an ApiEvents event
//                  {host: 'ready', dbPath} | {host: 'fatal', error}
//
// Configuration: --db PATH (or DISTLAB_DB; else the CLI's default) and --presets DIR (or
// DISTLAB_PRESETS_DIR; else resources/experiments of the package).
import path from 'node:path';
import type { ApiErrorPayload, EventName } from './contract.js';
import { EVENTS } from './contract.js';
import { errorPayload } from './errors.js';
import { Lab } from './lab.js';
import { defaultPresetsDir } from './app-files.js';
import { defaultDatabasePath } from '../store/default-path.js';

export interface HostRequest {
  id: number;
  method: string;
  arg: unknown;
}
export interface HostShutdown {
  shutdown: true;
}
export type HostReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ApiErrorPayload };
export interface HostEvent {
  event: EventName;
  payload: unknown;
}
export type HostState = { host: 'ready'; dbPath: string } | { host: 'fatal'; error: ApiErrorPayload };
export type HostToParent = HostReply | HostEvent | HostState;
export type ParentToHost = HostRequest | HostShutdown;

export interface HostConfig {
  dbPath: string;
  presetsDir: string;
}

/** Runs still going get this long to stop their nodes and save their record on shutdown. */
export const HOST_CLOSE_GRACE_MS = 5000;
const EXIT_BAD_START = 2;

/** The host's settings from its arguments and environment. */
export function hostConfig(argv: readonly string[], env: NodeJS.ProcessEnv): HostConfig {
  const option = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    if (at < 0) return undefined;
    const value = argv[at + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
    return value;
  };
  const dbPath = option('--db') ?? env.DISTLAB_DB ?? defaultDatabasePath(env);
  const presetsDir = option('--presets') ?? env.DISTLAB_PRESETS_DIR ?? defaultPresetsDir();
  return { dbPath: path.resolve(dbPath), presetsDir: path.resolve(presetsDir) };
}

/** The way back to whoever started this process. */
interface ParentLink {
  send(message: HostToParent, sent?: () => void): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called when the parent is gone (only child_process.fork can tell). */
  onGone(listener: () => void): void;
}

/** Electron's utility process has process.parentPort; a forked Node child has process.send. */
function parentLink(): ParentLink | null {
  const port = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (port && typeof port.postMessage === 'function') {
    return {
      send(message, sent) {
        port.postMessage(message);
        sent?.();
      },
      onMessage: (listener) => port.on('message', (event) => listener(event.data)),
      // Chromium ends a utility process itself when the browser process goes away.
      onGone: () => {},
    };
  }
  if (typeof process.send === 'function') {
    return {
      send(message, sent) {
        if (!process.connected) return sent?.();
        process.send!(message, undefined, {}, () => sent?.());
      },
      onMessage: (listener) => process.on('message', listener),
      onGone: (listener) => process.on('disconnect', listener),
    };
  }
  return null;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function isRequest(message: unknown): message is HostRequest {
  const m = message as Partial<HostRequest> | null;
  return typeof m === 'object' && m !== null && Number.isSafeInteger(m.id) && typeof m.method === 'string';
}

function isShutdown(message: unknown): message is HostShutdown {
  return typeof message === 'object' && message !== null && (message as Partial<HostShutdown>).shutdown === true;
}

function main(): void {
  const link = parentLink();
  if (!link) {
    process.stderr.write(
      'host-process.js is the engine host of the desktop app: it is started by Electron (utilityProcess.fork) ' +
        'or by child_process.fork, and has no parent to talk to here. Use `distlab` or `npm run serve` instead.\n',
    );
    process.exit(EXIT_BAD_START);
  }

  let config: HostConfig;
  let lab: Lab;
  try {
    config = hostConfig(process.argv.slice(2), process.env);
    lab = new Lab({ dbPath: config.dbPath, shell: 'electron', presetsDir: config.presetsDir });
  } catch (error) {
    // A foreign database file or a native module built for another runtime: say so, and stop.
    link.send({ host: 'fatal', error: errorPayload(error) }, () => process.exit(EXIT_BAD_START));
    return;
  }

  for (const event of EVENTS) lab.on(event, (payload) => link.send({ event, payload }));

  let closing: Promise<never> | null = null;
  const shutdown = (): Promise<never> =>
    (closing ??= (async () => {
      const deadline = new Promise<'late'>((resolve) => setTimeout(resolve, HOST_CLOSE_GRACE_MS, 'late').unref());
      const outcome = await Promise.race([lab.close().then(() => 'closed' as const), deadline]).catch((error: unknown) => {
        process.stderr.write(`engine host: closing the lab failed: ${(error as Error).message}\n`);
        return 'failed' as const;
      });
      // Let the runs' last status events go out; any node still alive is SIGKILLed by the engine's exit handler.
      await new Promise((resolve) => setImmediate(resolve));
      process.exit(outcome === 'closed' ? 0 : 1);
    })());

  const answer = async (request: HostRequest): Promise<void> => {
    let reply: HostReply;
    try {
      reply = { id: request.id, ok: true, result: (await lab.call(request.method, request.arg)) ?? null };
    } catch (error) {
      reply = { id: request.id, ok: false, error: errorPayload(error) };
    }
    try {
      link.send(reply);
    } catch (error) {
      link.send({ id: request.id, ok: false, error: { kind: 'internal', message: `the result of ${request.method} could not be sent: ${(error as Error).message}` } });
    }
  };

  link.onMessage((message) => {
    if (isShutdown(message)) void shutdown();
    else if (isRequest(message)) void answer(message);
    else process.stderr.write(`engine host: ignored a message that is neither a call nor a shutdown: ${JSON.stringify(message)?.slice(0, 200)}\n`);
  });
  link.onGone(() => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  // Ctrl-C in a terminal reaches the whole process group: the parent decides when the engine
  // stops (it sends {shutdown}); stopping here too would look like a crash to it.
  process.on('SIGINT', () => {});

  link.send({ host: 'ready', dbPath: config.dbPath });
}

main();
