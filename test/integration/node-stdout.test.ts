// A built-in node's stdout is kept as whole lines: a character split across two writes
// (and so, often, across two chunks) must not turn into replacement characters.
import { describe, it, expect } from 'vitest';
import { ManagedNode, type NodeObserver } from '../../core/engine/node-process.js';

describe('a node process', () => {
  it('keeps its stdout as whole UTF-8 lines, whatever the chunks', async () => {
    const lines: string[] = [];
    const observer = {
      started() {},
      exited() {},
      spawnFailed() {},
      stderrLine() {},
      stdoutLine: (_node: ManagedNode, line: string) => lines.push(line),
      oversizedLine() {},
      inboxFull() {},
      inboxDrained() {},
    } satisfies NodeObserver;
    const script = `const e = Buffer.from('é→😀');
process.stdout.write(e.subarray(0, 1));
setTimeout(() => process.stdout.write(Buffer.concat([e.subarray(1, 5), Buffer.from('\\nsecond ')])), 50);
setTimeout(() => process.stdout.write(Buffer.concat([e.subarray(5), Buffer.from(' line\\n')])), 100);`;
    const node = new ManagedNode('n1', 1, { argv: [process.execPath, '-e', script], env: {}, transport: 'tcp' }, observer);
    expect(await node.start()).toBe(true);
    await node.waitForExit();
    expect(lines).toEqual(['é→', 'second 😀 line']);
  });
});
