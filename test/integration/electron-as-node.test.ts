// An installed app has no system Node: the engine then starts built-in nodes with Electron's
// own binary acting as Node (ELECTRON_RUN_AS_NODE=1, process.execPath). Here the engine is
// told it runs under Electron; Node ignores the flag, so the run proves the rest of the path:
// the runtime's own binary, the compiled node entry, and the flag reaching every node.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { launchSpec } from '../../core/engine/launch.js';
import { parseExperiment } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { runExperiment } from './helpers.js';

const versions = process.versions as Record<string, string | undefined>;
function pretendElectron(): void {
  Object.defineProperty(process.versions, 'electron', { value: '45.0.0', configurable: true, enumerable: true });
}
afterEach(() => {
  if (versions.electron) delete versions.electron;
});

const file = { name: 'as-node', duration: '1500ms', nodes: { count: 2, program: 'echo' }, workload: { kind: 'echo', rate: 50, clients: 1 } };

describe('built-in nodes on the runtime’s own binary', () => {
  it('under Node: the node entry runs on process.execPath, without the Electron flag', () => {
    const experiment = parseExperiment(file, { source: 'test', programs: programNames() });
    const spec = launchSpec(experiment, 'n1', 1234, 'token', '/tmp/x');
    expect(spec.argv[0]).toBe(process.execPath);
    expect(readFileSync(spec.argv[1], 'utf8').length).toBeGreaterThan(0);
    expect(spec.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
  });

  it('under Electron: the same binary with ELECTRON_RUN_AS_NODE=1, and the nodes run', async () => {
    pretendElectron();
    const experiment = parseExperiment(file, { source: 'test', programs: programNames() });
    const spec = launchSpec(experiment, 'n1', 1234, 'token', '/tmp/x');
    expect(spec.argv[0]).toBe(process.execPath);
    expect(spec.env.ELECTRON_RUN_AS_NODE).toBe('1');

    const { summary, db } = await runExperiment(file);
    expect(summary.status).toBe('completed');
    const ok = db.prepare("SELECT COUNT(*) AS n FROM operations WHERE outcome = 'ok'").get() as { n: number };
    expect(ok.n).toBeGreaterThan(10);
    db.close();
  });
});
