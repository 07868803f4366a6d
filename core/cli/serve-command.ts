// distlab serve: the lab in a browser. Runs until Ctrl-C, which stops active runs (recorded
// as interrupted) and ends every node process before exiting.
import { PortInUseError, startServer } from '../server/server.js';
import { EXIT, UserError } from './user-error.js';

export interface ServeOptions {
  db: string;
  port: string;
}

export async function serveCommand(options: ServeOptions): Promise<number> {
  if (!/^\d+$/.test(options.port) || Number(options.port) > 65535) {
    throw new UserError(`--port: expected a port from 0 to 65535 (0 picks a free one), got "${options.port}"`);
  }
  let server;
  try {
    server = await startServer({ dbPath: options.db, port: Number(options.port) });
  } catch (error) {
    if (error instanceof PortInUseError) throw new UserError(error.message);
    throw error;
  }
  process.stdout.write(`Distlab is at ${server.url}\n`);
  process.stdout.write(`Recording to ${options.db}. Press Ctrl-C to stop.\n`);

  let resolve!: (code: number) => void;
  const stopped = new Promise<number>((r) => (resolve = r));
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    const active = server.lab.activeRuns.length;
    process.stderr.write(active > 0 ? `stopping ${active} active run(s) and saving the record (Ctrl-C again to quit at once)\n` : 'stopping\n');
    server.close().then(
      () => resolve(EXIT.ok),
      (error: unknown) => {
        process.stderr.write(`distlab: could not stop cleanly: ${(error as Error).message}\n`);
        resolve(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await stopped;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
