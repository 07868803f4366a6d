// Runs a protocol as an external node that speaks the Maelstrom protocol on stdin and
// stdout, so SDK programs can run under `nodes.command` (or under Maelstrom itself).
// Telemetry goes to the engine as messages to c0 of type `telemetry`.
import readline from 'node:readline';
import type { Body, Program } from './protocol.js';
import { isBody, notABodyLine } from './body-fields.js';
import { NodeRuntime, type NodeTransport, type TelemetryRecord } from './runtime.js';

const ENGINE = 'c0';

export function runOnStdio(program: Program, params: Record<string, unknown> = {}): void {
  let self = '';
  let runtime: NodeRuntime | null = null;
  const write = (dest: string, body: Body) => process.stdout.write(JSON.stringify({ src: self, dest, body }) + '\n');
  const transport: NodeTransport = {
    send: (to, body) => write(to, body),
    writable: () => !process.stdout.writableNeedDrain,
    onceWritable: (resume) => process.stdout.once('drain', resume),
    telemetry: (records: TelemetryRecord[]) => write(ENGINE, { type: 'telemetry', records }),
  };
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    let message: { src: string; body: Body };
    try {
      message = JSON.parse(line);
    } catch {
      process.stderr.write(`ignored a line that is not JSON: ${line.slice(0, 200)}\n`);
      return;
    }
    const body: unknown = message?.body;
    if (!isBody(body)) {
      process.stderr.write(notABodyLine(String(message?.src), line) + '\n');
      return;
    }
    if (body.type === 'init') {
      self = String(body.node_id);
      write(message.src, { type: 'init_ok', in_reply_to: body.msg_id });
      runtime = new NodeRuntime(program, transport, { params, seed: Number(process.env.DISTLAB_SEED ?? 0), restarted: Number(process.env.DISTLAB_INCARNATION ?? 1) > 1 });
      runtime.start(self, (body.node_ids as string[]) ?? []);
      return;
    }
    runtime?.deliver(message.src, body);
  });
  const stop = () => {
    runtime?.stop();
    process.exit(0);
  };
  process.stdin.on('end', stop);
  process.on('SIGTERM', stop);
}
