// How each node process is started: built-in programs run the compiled node entry on
// this same runtime (Node, or Electron acting as Node); external programs run as given.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Experiment, NodeId } from '../experiment/types.js';
import { compiledModulePath } from './compiled-path.js';
import type { LaunchSpec } from './node-process.js';

let chosen: { path: string; atMs: number } | null = null;

/**
 * The node entry: the one-file CommonJS bundle `npm run build:core` makes of core/sdk/node-main.ts
 * (dist/core/node/node-main.js), else the compiled ES modules. The bundle starts about 15 ms of
 * CPU sooner per node than the dozen ES modules it replaces: most of a node's start beyond Node's
 * own is the ES module loader (its internals and one resolution per file). A bundle older than
 * the compiled modules it was made of is stale (tsc was run alone since) and is not used.
 */
export function nodeMainPath(): string {
  const now = Date.now();
  if (chosen && now - chosen.atMs < 1000) return chosen.path;
  const bundle = compiledModulePath(import.meta.url, '../node/node-main.js');
  const modules = compiledModulePath(import.meta.url, '../sdk/node-main.js');
  chosen = { path: bundleIsFresh(bundle, path.resolve(path.dirname(modules), '..')) ? bundle : modules, atMs: now };
  return chosen.path;
}

/** Whether the bundle is newer than the compiled form of every source it was made of (esbuild's metafile lists them). */
function bundleIsFresh(bundle: string, distCore: string): boolean {
  try {
    const bundleMs = statSync(bundle).mtimeMs;
    const meta = JSON.parse(readFileSync(path.join(path.dirname(bundle), 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    for (const source of Object.keys(meta.inputs)) {
      const compiled = path.join(distCore, source.replace(/^core\//, '').replace(/\.ts$/, '.js'));
      if (existsSync(compiled) && statSync(compiled).mtimeMs > bundleMs) return false;
    }
    return true;
  } catch {
    return false;
  }
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
