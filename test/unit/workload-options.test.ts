import { describe, expect, it } from 'vitest';
import { parseExperiment, type ExperimentError } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { experimentYaml } from '../../core/api/experiment-text.js';
import { parseExperimentText } from '../../core/experiment/load.js';

const base = { name: 'w', duration: '2s', nodes: { count: 3, command: ['python3', 'node.py'] } };
const parse = (workload: Record<string, unknown>) => parseExperiment({ ...base, workload }, { source: 'w.yaml', programs: programNames() }).workload;
function problems(workload: Record<string, unknown>): string[] {
  try {
    parse(workload);
    return [];
  } catch (e) {
    return (e as ExperimentError).problems.map((p) => `${p.path}: ${p.message}`);
  }
}

describe('Maelstrom’s workloads in the experiment file', () => {
  it('reads every workload by Maelstrom’s name, with its own defaults', () => {
    expect(parse({ kind: 'unique-ids', rate: 100 })).toMatchObject({ kind: 'unique-ids', rate: 100, clients: 1, loop: 'closed' });
    expect(parse({ kind: 'g-set' })).toMatchObject({ kind: 'g-set', finalQuietMs: 2000 });
    expect(parse({ kind: 'pn-counter', final: { quiet: '500ms' } })).toMatchObject({ kind: 'pn-counter', finalQuietMs: 500 });
    expect(parse({ kind: 'broadcast', final: { quiet: 0 } })).toMatchObject({ finalQuietMs: 0, topology: 'grid' });
    expect(parse({ kind: 'lin-kv', keys: 3, mix: { cas: 0 } })).toMatchObject({ kind: 'lin-kv', keys: 3, mix: { read: 2, write: 2, cas: 0 } });
    expect(parse({ kind: 'kafka', keys: 2, loop: 'open' })).toMatchObject({ kind: 'kafka', keys: 2, loop: 'open' });
    expect(parse({ kind: 'txn-list-append', keys: 4, maxTxnLength: 6 })).toMatchObject({ kind: 'txn-list-append', keys: 4, maxTxnLength: 6 });
    expect(parse({ kind: 'txn-rw-register' })).toMatchObject({ maxTxnLength: 4, keys: 5 });
    expect(parse({ kind: 'unique-ids' })).not.toHaveProperty('finalQuietMs');
  });

  it('rejects an option that does not fit the workload, naming the field and where it belongs', () => {
    expect(problems({ kind: 'unique-ids', keys: 3 })).toEqual(['workload.keys: expected nothing: keys belongs to the lin-kv, kv, kafka, txn-rw-register and txn-list-append workloads, not unique-ids, got 3']);
    expect(problems({ kind: 'kafka', mix: { read: 1 } })).toEqual(['workload.mix: expected nothing: mix belongs to the lin-kv and kv workloads, not kafka, got {"read":1}']);
    expect(problems({ kind: 'lin-kv', maxTxnLength: 2 })).toEqual(['workload.maxTxnLength: expected nothing: maxTxnLength belongs to the txn-rw-register and txn-list-append workloads, not lin-kv, got 2']);
    expect(problems({ kind: 'kafka', final: { quiet: '1s' } })).toEqual(['workload.final: expected nothing: final belongs to the broadcast, g-set, g-counter and pn-counter workloads, not kafka, got {"quiet":"1s"}']);
    expect(problems({ kind: 'g-counter', topology: 'line' })).toEqual(['workload.topology: expected nothing: topology belongs to the broadcast workload, not g-counter, got "line"']);
  });

  it('rejects bad values of the new options and names unknown kinds', () => {
    expect(problems({ kind: 'txn-list-append', maxTxnLength: 0 })).toEqual(['workload.maxTxnLength: expected an integer from 1 to 100, got 0']);
    expect(problems({ kind: 'g-set', final: { quiet: 'soon' } })[0]).toMatch(/^workload\.final\.quiet: expected a duration/);
    expect(problems({ kind: 'g-set', final: { wait: '1s' } })).toContainEqual(expect.stringMatching(/^workload\.final: unknown key "wait"; known keys are quiet/));
    expect(problems({ kind: 'g-sets' })[0]).toMatch(/^workload\.kind: expected one of echo, unique-ids, broadcast, g-set, g-counter, pn-counter, lin-kv, kv, kafka, txn-rw-register, txn-list-append, requests, none/);
  });

  it('writes every workload back as a file that loads to the same experiment', () => {
    for (const workload of [{ kind: 'txn-list-append', keys: 4, maxTxnLength: 6 }, { kind: 'kafka', keys: 2 }, { kind: 'g-set', final: { quiet: '750ms' } }, { kind: 'lin-kv', mix: { cas: 0 } }, { kind: 'unique-ids' }]) {
      const experiment = parseExperiment({ ...base, seed: 1, workload }, { source: 'w.yaml', programs: programNames() });
      expect(parseExperimentText(experimentYaml(experiment), { source: 'w.yaml', programs: programNames() }), workload.kind).toEqual(experiment);
    }
  });
});
