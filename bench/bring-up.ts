// Time from starting a run until every node has answered init.
import { newRun } from './support.js';

export async function bringUp(nodes: number): Promise<{ nodes: number; ms: number; up: number }> {
  const run = newRun({ name: `bench-bring-up-${nodes}`, seed: 1, duration: '60s', nodes: { count: nodes, program: 'echo', initTimeout: '30s' } });
  let result = { nodes, ms: NaN, up: 0 };
  run.on('nodesUp', ({ elapsedMs, up }) => {
    result = { nodes, ms: elapsedMs, up };
    run.stop('completed');
  });
  await run.execute();
  return result;
}
