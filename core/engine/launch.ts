// How each node process is started: built-in programs run the compiled node entry on
// this same runtime (Node, or Electron acting as Node); external programs run as given.
import path from 'node:path';
import type { Experiment, NodeId } from '../experiment/types.js';
import { compiledModulePath } from './compiled-path.js';
import type { LaunchSpec } from './node-process.js';

export function nodeMainPath(): string {
  return compiledModulePath(import.meta.url, '../sdk/node-main.js');
}

export function launchSpec(experiment: Experiment, node: NodeId, switchPort: number, token: string, dataDir: string): LaunchSpec {
  const nodes = experiment.nodes;
  const clock = nodes.clocks[node] ?? nodes.clock;
  const env: Record<string, string> = {
    ...nodes.env,
    DISTLAB_NODE_ID: node,
    DISTLAB_DATA_DIR: path.join(dataDir, node),
    DISTLAB_SEED: String(experiment.seed),
    DISTLAB_CLOCK_SKEW_MS: String(clock.skewMs),
    DISTLAB_CLOCK_DRIFT_PPM: String(clock.driftPpm),
  };
  if (nodes.program) {
    // An installed app has no system Node: Electron's own binary runs the node as Node.
    if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
    Object.assign(env, {
      DISTLAB_PROGRAM: nodes.program,
      DISTLAB_PARAMS: JSON.stringify(nodes.params),
      DISTLAB_SWITCH_PORT: String(switchPort),
      DISTLAB_TOKEN: token,
    });
    return { argv: [process.execPath, nodeMainPath()], env, cwd: nodes.cwd, transport: 'tcp' };
  }
  return { argv: nodes.command!, env, cwd: nodes.cwd, transport: 'stdio' };
}
