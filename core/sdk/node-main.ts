// Entry point of a built-in node process. The supervisor starts it with the switch's
// port, the run's secret token, the node id and the program in the environment.
// `npm run build:core` bundles it with esbuild into one CommonJS file,
// dist/core/node/node-main.js, which is what the engine starts: a hundred nodes each paying
// for Node's ES module loader and a dozen module files cost about 15–20 ms of CPU apiece.
// No top-level await here, so that it can be bundled as CommonJS.
import { loadProgram } from '../programs/loaders.js';
import type { Body, Program } from './protocol.js';
import { NodeRuntime } from './runtime.js';
import { SwitchConnection } from './switch-connection.js';
import { DirectMesh } from './direct-mesh.js';
import { clockSettingsFromEnv, nodeClock } from './node-clock.js';
import { isBody, notABodyLine } from './body-fields.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`distlab node: ${name} is not set; built-in nodes are started by the distlab engine\n`);
    process.exit(2);
  }
  return value;
}

const node = required('DISTLAB_NODE_ID');
const programName = required('DISTLAB_PROGRAM');
const runtimeOptions = {
  params: JSON.parse(process.env.DISTLAB_PARAMS ?? '{}') as Record<string, unknown>,
  seed: Number(process.env.DISTLAB_SEED ?? 0),
  // The engine numbers a node's processes from 1: a higher number is a restart.
  restarted: Number(process.env.DISTLAB_INCARNATION ?? 1) > 1,
  now: nodeClock(clockSettingsFromEnv(process.env)),
};

const loading = loadProgram(programName);
if (!loading) {
  process.stderr.write(`distlab node: unknown program "${programName}"\n`);
  process.exit(2);
}
void loading.then((program) => {
  const directPorts = process.env.DISTLAB_DIRECT_PORTS;
  if (directPorts) void runDirect(program, directPorts.split(',').map(Number));
  else runSwitched(program);
});

/**
 * The message's body, or null when it does not parse or is not an object with a string
 * type (the switch may corrupt a body): logged and dropped, as the simulator's nodes do.
 */
function parsedBody(from: string, text: string): Body | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isBody(body)) return body;
  process.stderr.write(notABodyLine(from, text) + '\n');
  return null;
}

function runSwitched(program: Program): void {
  let runtime: NodeRuntime | null = null;
  const connection = new SwitchConnection(Number(required('DISTLAB_SWITCH_PORT')), required('DISTLAB_TOKEN'), node, {
    onWelcome() {},
    onMessage(from, type, text) {
      const body = parsedBody(from, text);
      if (!body) return;
      if (type === 'init' && from === 'c0') {
        connection.sendToEngine('init_ok', { type: 'init_ok', in_reply_to: body.msg_id });
        runtime = new NodeRuntime(program, connection, runtimeOptions);
        runtime.start(String(body.node_id), (body.node_ids as string[]) ?? []);
        return;
      }
      runtime?.deliver(from, body);
    },
    // Losing the switch means the run is over or the engine died: never linger as an orphan.
    onClose() {
      runtime?.stop();
      process.exit(0);
    },
  });

  // A normal end: flush the telemetry, close the link, and leave once it is closed.
  process.on('SIGTERM', () => {
    runtime?.stop();
    runtime = null;
    connection.close();
    setTimeout(() => process.exit(0), 500).unref();
  });
}

/** Benchmark baseline: the same program over direct loopback TCP, without the switch. */
async function runDirect(program: Program, ports: number[]): Promise<void> {
  let direct: NodeRuntime | null = null;
  const mesh = await DirectMesh.connect(node, ports, (from, _type, text) => {
    const body = parsedBody(from, text);
    if (body) direct?.deliver(from, body);
  });
  direct = new NodeRuntime(program, mesh, runtimeOptions);
  direct.start(node, ports.map((_, i) => `n${i + 1}`));
  process.on('SIGTERM', () => {
    direct?.stop();
    setTimeout(() => process.exit(0), 50);
  });
}
