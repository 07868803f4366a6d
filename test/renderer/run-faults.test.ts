// The run view's fault helpers: partition drafts, Jepsen pattern previews, the requests
// sent through run.fault, and the text of the fault timeline.
import { describe, expect, it } from 'vitest';
import { assignNode, draftGroups, previewPattern, separateNodes } from '../../renderer/src/components/faults/partition-draft.js';
import { cutFault, joinFault, leaveFault, linkChangeFault, nextNodeId, nodeFault, partitionFault, patternFault, HEAL } from '../../renderer/src/components/faults/fault-requests.js';
import { describeFault, faultFamily } from '../../renderer/src/components/faults/describe-fault.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('partition draft', () => {
  it('assigns a clicked node to the picked group and takes it out on a second click', () => {
    let d = assignNode({}, 'n1', 0);
    d = assignNode(d, 'n2', 1);
    d = assignNode(d, 'n3', 1);
    expect(draftGroups(d, nodes)).toEqual([['n1'], ['n2', 'n3'], []]);
    d = assignNode(d, 'n3', 1);
    expect(draftGroups(d, nodes)).toEqual([['n1'], ['n2'], []]);
    d = assignNode(d, 'n1', 2);
    expect(draftGroups(d, nodes)).toEqual([[], ['n2'], ['n1']]);
  });

  it('puts the two ends of a drag in different groups', () => {
    let d = separateNodes({}, 'n1', 'n2');
    expect(d).toEqual({ n1: 0, n2: 1 });
    d = separateNodes(d, 'n2', 'n3');
    expect(d.n3).toBe(0);
    d = separateNodes(d, 'n4', 'n3');
    expect(d.n4).toBe(1);
    d = separateNodes(d, 'n1', 'n3');
    expect(d.n3).not.toBe(d.n1);
    expect(separateNodes(d, 'n2', 'n2')).toBe(d);
    expect(separateNodes({ n1: 0, n2: 1 }, 'n1', 'n2')).toEqual({ n1: 0, n2: 1 });
  });
});

describe('Jepsen pattern preview', () => {
  it('gives the shape the engine will cut, for five nodes', () => {
    expect(previewPattern('one', 5, null).sizes).toEqual([1, 4]);
    expect(previewPattern('majority', 5, null).sizes).toEqual([3, 2]);
    expect(previewPattern('bridge', 5, null).sizes).toEqual([2, 1, 2]);
    expect(previewPattern('majorities-ring', 5, null).text).toContain('sees 3 of 5');
    expect(previewPattern('leader', 5, 'n3').text).toContain('n3');
    expect(previewPattern('leader', 5, null).text).toContain('no leader known yet');
  });

  it('matches the engine for even counts and refuses unknown patterns', () => {
    expect(previewPattern('majority', 4, null).sizes).toEqual([3, 1]);
    expect(previewPattern('bridge', 4, null).sizes).toEqual([2, 1, 1]);
    expect(previewPattern('majorities-ring', 7, null).text).toContain('sees 5 of 7');
    expect(() => previewPattern('split', 5, null)).toThrow(/unknown partition pattern "split"/);
  });
});

describe('fault requests', () => {
  it('uses the experiment file forms without at', () => {
    expect(nodeFault('kill', 'n2')).toEqual({ kill: 'n2' });
    expect(nodeFault('restart', 'n1')).toEqual({ restart: 'n1' });
    expect(patternFault('majorities-ring')).toEqual({ partition: 'majorities-ring' });
    expect(partitionFault([['n1'], [], ['n2', 'n3']])).toEqual({ partition: [['n1'], ['n2', 'n3']] });
    expect(cutFault('n1', 'n2')).toEqual({ cut: { from: 'n1', to: 'n2' } });
    expect(HEAL).toEqual({ heal: true });
  });

  it('turns a link change into change-link with loss as a probability, leaving out empty ends', () => {
    expect(linkChangeFault({ from: '', to: '', latencyMs: 50, lossPercent: null })).toEqual({ 'change-link': { latency: 50 } });
    expect(linkChangeFault({ from: 'n1', to: '', latencyMs: null, lossPercent: 25 })).toEqual({ 'change-link': { from: 'n1', loss: 0.25 } });
  });

  it('says what to fix', () => {
    expect(() => partitionFault([['n1'], []])).toThrow(/at least two groups/);
    expect(() => cutFault('n1', 'n1')).toThrow(/two different nodes/);
    expect(() => cutFault('', 'n1')).toThrow(/both ends/);
    expect(() => nodeFault('kill', '')).toThrow(/Pick a node/);
    expect(() => linkChangeFault({ from: '', to: '', latencyMs: null, lossPercent: null })).toThrow(/latency or a loss/);
    expect(() => linkChangeFault({ from: '', to: '', latencyMs: -1, lossPercent: null })).toThrow(/0 ms or more, got -1/);
    expect(() => linkChangeFault({ from: '', to: '', latencyMs: null, lossPercent: 150 })).toThrow(/0 to 100, got 150/);
  });
});

describe('membership requests', () => {
  it('adds the node after the highest id the run has had, and removes the one picked', () => {
    expect(nextNodeId(['n1', 'n2', 'n3'])).toBe('n4');
    // n10 sorts by number, and a node that left keeps its id taken.
    expect(nextNodeId(['n1', 'n10', 'n9'])).toBe('n11');
    expect(nextNodeId([])).toBe('n1');
    expect(joinFault('n4')).toEqual({ join: 'n4' });
    expect(leaveFault('n2')).toEqual({ leave: 'n2' });
    expect(() => leaveFault('')).toThrow('Pick a node to remove first.');
  });

  it('describes joins and leaves on the fault timeline, with a refusal', () => {
    expect(describeFault([1000, 'join', { node: 'n4', members: ['n1', 'n2', 'n3', 'n4'] }, 'live'])).toBe('join n4');
    expect(describeFault([1000, 'leave', { node: 'n1', refused: 'n1 is the last member now; an experiment keeps at least one node' }, 'schedule'])).toBe(
      'leave n1 (refused: n1 is the last member now; an experiment keeps at least one node)',
    );
  });
});

describe('fault timeline text', () => {
  it('describes each recorded fault kind', () => {
    expect(describeFault([1000, 'kill', { nodes: ['n2'], signal: 'SIGKILL' }, 'live'])).toBe('kill n2');
    expect(describeFault([1000, 'pause', { nodes: ['n2'], skipped: ['n2'], why: 'not running' }, 'live'])).toBe('pause n2 (skipped n2: not running)');
    expect(describeFault([1000, 'partition', { groups: [['n1'], ['n2', 'n3']] }, 'schedule'])).toBe('partition {n1} | {n2 n3}');
    expect(describeFault([1000, 'partition-pattern', { pattern: 'majority', groups: [['n2', 'n1'], ['n3']] }, 'live'])).toBe('partition majority: {n2 n1} | {n3}');
    expect(describeFault([1000, 'cut', { from: ['n1'], to: ['n2'] }, 'live'])).toBe('cut n1 → n2 (one way)');
    expect(describeFault([1000, 'heal', {}, 'live'])).toBe('heal');
    expect(describeFault([1000, 'change-link', { from: '*', to: 'n2', latency: { meanMs: 50, jitterMs: 0 }, loss: { kind: 'bernoulli', p: 0.1 } }, 'live'])).toBe(
      'link * → n2: latency 50 ms, loss 10%',
    );
    expect(describeFault([1000, 'change-link', { from: '*', to: '*', loss: { kind: 'gilbert-elliott', p: 0.1 } }, 'live'])).toBe('every link: bursty loss');
    expect(faultFamily('restart')).toBe('heal');
    expect(faultFamily('cut')).toBe('network');
    expect(faultFamily('kill')).toBe('node');
  });
});
