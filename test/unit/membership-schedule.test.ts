// Issue 13: joins and leaves are checked against the membership at their time in the
// schedule (initial nodes + earlier joins - earlier leaves), before the run starts.
import { describe, expect, it } from 'vitest';
import { ExperimentError, parseExperiment, type ExperimentProblem } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { parseFaultRequest } from '../../core/api/fault-request.js';
import { ApiError } from '../../core/api/errors.js';

const OPTS = { source: 'test', programs: programNames() };

function experiment(faults: unknown[], count = 3) {
  return { name: 'm', seed: 1, duration: '10s', nodes: { count, program: 'ping' }, faults };
}

function problems(faults: unknown[], count = 3): ExperimentProblem[] {
  try {
    parseExperiment(experiment(faults, count), OPTS);
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentError);
    return (error as ExperimentError).problems;
  }
  throw new Error('expected an ExperimentError, but the experiment parsed');
}

describe('join and leave in the fault schedule', () => {
  it('reads { at, join } and { at, leave } as membership actions, in time order', () => {
    const exp = parseExperiment(experiment([{ at: '5s', leave: 'n2' }, { at: '3s', join: 'n4' }]), OPTS);
    expect(exp.faults).toEqual([
      { atMs: 3000, action: { kind: 'join', node: 'n4' } },
      { atMs: 5000, action: { kind: 'leave', node: 'n2' } },
    ]);
  });

  it('lets a node that joined leave, and later faults name it', () => {
    const exp = parseExperiment(experiment([{ at: '1s', join: 'n4' }, { at: '2s', kill: 'n4' }, { at: '3s', leave: 'n4' }]), OPTS);
    expect(exp.faults.map((f) => f.action.kind)).toEqual(['join', 'kill', 'leave']);
  });

  it('rejects a join of an id that is a member at that point', () => {
    expect(problems([{ at: '1s', heal: true }, { at: '2s', heal: true }, { at: '3s', join: 'n3' }])).toEqual([{ path: 'faults[2].join', message: 'n3 is already a member at 3s' }]);
    expect(problems([{ at: '1s', join: 'n4' }, { at: '2s', join: 'n4' }])).toEqual([{ path: 'faults[1].join', message: 'n4 is already a member at 2s' }]);
  });

  it('checks the schedule in time order, not the order of the list', () => {
    // The join of n4 at 1s comes first, so the second join of n4 (listed first, at 2s) is the bad one.
    expect(problems([{ at: '2s', join: 'n4' }, { at: '1s', join: 'n4' }])).toEqual([{ path: 'faults[0].join', message: 'n4 is already a member at 2s' }]);
  });

  it('rejects a join whose id does not follow the naming n<k>', () => {
    expect(problems([{ at: '1s', join: 'node6' }])).toEqual([{ path: 'faults[0].join', message: 'expected a new node id like "n4", got "node6"' }]);
  });

  it('rejects a join of an id that left: a joined node is new', () => {
    expect(problems([{ at: '1s', leave: 'n2' }, { at: '2s', join: 'n2' }])).toEqual([
      { path: 'faults[1].join', message: 'n2 was a member and left; a joining node needs a new id, like "n4"' },
    ]);
  });

  it('rejects a leave of a node that is not a member then', () => {
    expect(problems([{ at: '1s', leave: 'n5' }])).toEqual([{ path: 'faults[0].leave', message: 'n5 is not a member at 1s (members: n1, n2, n3)' }]);
    expect(problems([{ at: '1s', leave: 'n2' }, { at: '2s', leave: 'n2' }])).toEqual([{ path: 'faults[1].leave', message: 'n2 is not a member at 2s (members: n1, n3)' }]);
    expect(problems([{ at: '2s', join: 'n4' }, { at: '1s', leave: 'n4' }])).toEqual([{ path: 'faults[1].leave', message: 'n4 is not a member at 1s (members: n1, n2, n3)' }]);
  });

  it('rejects a leave of the last member', () => {
    expect(problems([{ at: '1s', leave: 'n1' }], 1)).toEqual([{ path: 'faults[0].leave', message: 'n1 is the last member at 1s; an experiment keeps at least one node' }]);
    expect(problems([{ at: '1s', leave: 'n1' }, { at: '2s', leave: 'n2' }], 2)).toEqual([{ path: 'faults[1].leave', message: 'n2 is the last member at 2s; an experiment keeps at least one node' }]);
  });

  it('rejects an entry with a join and another action, or a join that is not one id', () => {
    expect(problems([{ at: '1s', join: 'n4', leave: 'n1' }])[0]).toEqual({
      path: 'faults[0]',
      message: 'expected exactly one action (kill, stop, pause, resume, restart, partition, heal, cut, change-link, join, leave) besides "at", got join and leave; put each action in its own entry, with the same "at" if they happen together',
    });
    expect(problems([{ at: '1s', join: ['n4', 'n5'] }])).toEqual([{ path: 'faults[0].join', message: 'expected a node id like "n1", got ["n4","n5"]' }]);
  });

  it('takes nodes.leaveDrain as the drain period of a leave', () => {
    const exp = parseExperiment({ ...experiment([]), nodes: { count: 3, program: 'ping', leaveDrain: '250ms' } }, OPTS);
    expect(exp.nodes.leaveDrainMs).toBe(250);
  });
});

describe('a live join or leave is checked against the run membership now', () => {
  const text = 'name: m\nseed: 1\nduration: 10s\nnodes: { count: 3, program: ping }\n';
  const live = (fault: Record<string, unknown>, members: string[], ever = members) => parseFaultRequest(text, fault, programNames(), { members, ever });
  const liveProblem = (fault: Record<string, unknown>, members: string[], ever = members) => {
    try {
      live(fault, members, ever);
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      return (error as ApiError).message;
    }
    throw new Error('expected the live fault to be refused');
  };

  it('accepts a leave of a node that joined, and a join of a new id', () => {
    expect(live({ leave: 'n4' }, ['n1', 'n2', 'n3', 'n4'])).toEqual({ kind: 'leave', node: 'n4' });
    expect(live({ join: 'n5' }, ['n1', 'n3', 'n4'], ['n1', 'n2', 'n3', 'n4'])).toEqual({ kind: 'join', node: 'n5' });
  });

  it('names the field when the change cannot happen now', () => {
    expect(liveProblem({ join: 'n4' }, ['n1', 'n2', 'n3', 'n4'])).toBe('fault.join: n4 is already a member now');
    expect(liveProblem({ leave: 'n2' }, ['n1', 'n3'], ['n1', 'n2', 'n3'])).toBe('fault.leave: n2 is not a member now (members: n1, n3)');
    expect(liveProblem({ leave: 'n1' }, ['n1'], ['n1', 'n2', 'n3'])).toBe('fault.leave: n1 is the last member now; an experiment keeps at least one node');
  });
});
