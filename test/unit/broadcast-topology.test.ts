// The topology Maelstrom's broadcast workload sends first, by shape and as an explicit map.
import { describe, expect, it } from 'vitest';
import { makeTopology } from '../../core/workloads/topology.js';
import { ExperimentError, parseExperiment } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('broadcast topologies', () => {
  it('builds a grid, a line, a ring, a tree and the total graph, links both ways', () => {
    // A 3-wide grid: n1 n2 n3 / n4 n5.
    expect(makeTopology('grid', nodes)).toEqual({ n1: ['n2', 'n4'], n2: ['n1', 'n3', 'n5'], n3: ['n2'], n4: ['n1', 'n5'], n5: ['n2', 'n4'] });
    expect(makeTopology('line', nodes)).toEqual({ n1: ['n2'], n2: ['n1', 'n3'], n3: ['n2', 'n4'], n4: ['n3', 'n5'], n5: ['n4'] });
    expect(makeTopology('ring', nodes).n1).toEqual(['n2', 'n5']);
    expect(makeTopology('tree', nodes, 2)).toEqual({ n1: ['n2', 'n3'], n2: ['n1', 'n4', 'n5'], n3: ['n1'], n4: ['n2'], n5: ['n2'] });
    expect(makeTopology('tree', nodes, 4).n1).toEqual(['n2', 'n3', 'n4', 'n5']);
    expect(makeTopology('total', nodes).n3).toEqual(['n1', 'n2', 'n4', 'n5']);
  });

  it('checks the experiment: topology belongs to broadcast, branching to a tree, an explicit map names the run’s nodes', () => {
    const base = { name: 'b', duration: '2s', nodes: { count: 3, program: 'causal-broadcast' } };
    const parse = (workload: Record<string, unknown>) => parseExperiment({ ...base, workload }, { source: 'x.yaml', programs: programNames() });
    expect(parse({ kind: 'broadcast', topology: 'tree', branching: 3 }).workload).toMatchObject({ topology: 'tree', branching: 3 });
    expect(parse({ kind: 'broadcast' }).workload).toMatchObject({ topology: 'grid' });
    const problems = (workload: Record<string, unknown>) => {
      try {
        parse(workload);
        return [];
      } catch (e) {
        return (e as ExperimentError).problems.map((p) => `${p.path}: ${p.message}`);
      }
    };
    expect(problems({ kind: 'echo', topology: 'line' })).toEqual(['workload.topology: expected nothing: topology belongs to the broadcast workload, not echo, got "line"']);
    expect(problems({ kind: 'broadcast', topology: 'line', branching: 3 })[0]).toMatch(/branching: expected nothing: branching is the fan-out of topology: tree/);
    expect(problems({ kind: 'broadcast', topology: { n1: ['n9'] } })).toEqual(['workload.topology: "n9", a neighbour of n1, is not a node of this run']);
    expect(problems({ kind: 'broadcast', topology: 'star' })[0]).toMatch(/workload.topology: expected grid, line, tree, total, ring, or a map/);
  });
});
