// The experiment editor's pure parts: YAML document edits, text ↔ value for inputs,
// faults for the list and the timeline, which field shows which problem, export folders.
import { describe, expect, it } from 'vitest';
import { appendAt, docText, parseExperimentDoc, removeAt, setAt } from '../../renderer/src/stores/experiment-doc.js';
import { argvFromText, durationMs, durationText, idsValue, textFromArgv, valueFromText } from '../../renderer/src/components/editor/field-text.js';
import { faultSpans, faultSummary, groupsFromText, groupsText, withKind } from '../../renderer/src/components/editor/fault-model.js';
import { claimCovers, problemsFor } from '../../renderer/src/components/editor/problem-claims.js';
import { defaultExportFolder } from '../../renderer/src/components/shell/export-folder.js';
import { formatDuration } from '../../renderer/src/components/shell/format.js';

describe('experiment document edits', () => {
  it('keeps a replaced map in flow style, removes keys, and replaces a scalar that is in the way', () => {
    const { doc } = parseExperimentDoc('network:\n  latency: { mean: 5ms }\n  loss: 0.1\nworkload: 5\n');
    setAt(doc, ['network', 'latency'], { distribution: 'uniform', mean: '5ms', jitter: '1ms' });
    setAt(doc, ['network', 'loss'], undefined);
    setAt(doc, ['workload', 'kind'], 'echo');
    setAt(doc, ['missing', 'deep'], undefined); // nothing to remove: no error
    expect(docText(doc)).toBe('network:\n  latency: { distribution: uniform, mean: 5ms, jitter: 1ms }\nworkload:\n  kind: echo\n');
  });

  it('appends faults one per line and drops the list when the last one goes', () => {
    const { doc } = parseExperimentDoc('name: x\n');
    appendAt(doc, ['faults'], { at: '1s', kill: 'n1' });
    appendAt(doc, ['faults'], { at: '2s', partition: [['n1'], ['n2']] });
    expect(docText(doc)).toBe('name: x\nfaults:\n  - { at: 1s, kill: n1 }\n  - { at: 2s, partition: [ [ n1 ], [ n2 ] ] }\n');
    removeAt(doc, ['faults'], 0);
    removeAt(doc, ['faults'], 0);
    expect(docText(doc)).toBe('name: x\n');
  });

  it('reports a syntax error with its position', () => {
    expect(parseExperimentDoc('a: [1,\nb: 2').syntaxError).toMatch(/^invalid YAML at line 2, column 1: /);
  });
});

describe('input text', () => {
  it('writes numbers as numbers and anything else as typed, so the validator can name the mistake', () => {
    expect(valueFromText(' 12 ')).toBe(12);
    expect(valueFromText('0.5')).toBe(0.5);
    expect(valueFromText('')).toBeUndefined();
    expect(valueFromText('5ms')).toBe('5ms');
    expect(valueFromText('three')).toBe('three');
  });

  it('reads durations as the file does and writes round ones back', () => {
    expect(durationMs('3s')).toBe(3000);
    expect(durationMs('1.5s')).toBe(1500);
    expect(durationMs('250us')).toBe(0.25);
    expect(durationMs(700)).toBe(700);
    expect(durationMs('2m')).toBe(120_000);
    expect(durationMs('3 days')).toBeNull();
    expect(durationText(3000)).toBe('3s');
    expect(durationText(2500)).toBe('2.5s');
    expect(durationText(750)).toBe('750ms');
  });

  it('splits a command line with quotes and joins it back', () => {
    const argv = argvFromText(`python3 "my node.py" --name 'a b' ""`);
    expect(argv).toEqual(['python3', 'my node.py', '--name', 'a b', '']);
    expect(argvFromText(textFromArgv(argv))).toEqual(argv);
  });

  it('writes one target as a scalar and several as a list', () => {
    expect(idsValue(['n2'])).toBe('n2');
    expect(idsValue(['n2', 'n3'])).toEqual(['n2', 'n3']);
    expect(idsValue([])).toBeUndefined();
  });
});

describe('faults', () => {
  it('changes the action, keeping the time and the nodes of a node fault', () => {
    expect(withKind({ at: '3s', kill: ['n1', 'n2'] }, 'pause', ['n1', 'n2', 'n3'])).toEqual({ at: '3s', pause: ['n1', 'n2'] });
    expect(withKind({ at: '3s', kill: 'n1' }, 'partition', ['n1', 'n2'])).toEqual({ at: '3s', partition: 'majority' });
    expect(withKind({ at: '3s', kill: 'n1' }, 'heal', [])).toEqual({ at: '3s', heal: true });
  });

  it('starts a join with the next new id and a leave with the last node', () => {
    expect(withKind({ at: '3s', kill: 'n1' }, 'join', ['n1', 'n2', 'n3'])).toEqual({ at: '3s', join: 'n4' });
    expect(withKind({ at: '3s', join: 'n4' }, 'leave', ['n1', 'n2', 'n3', 'n4'])).toEqual({ at: '3s', leave: 'n4' });
    expect(faultSummary({ at: '3s', join: 'n4' })).toBe('join n4');
    expect(faultSummary({ at: '5s', leave: 'n2' })).toBe('leave n2');
  });

  it('says what each fault does', () => {
    expect(faultSummary({ at: '1s', kill: 'leader' })).toBe('kill leader');
    expect(faultSummary({ at: '1s', partition: [['n1'], ['n2', 'n3']] })).toBe('partition n1 | n2 n3');
    expect(faultSummary({ at: '1s', cut: { from: 'n1', to: ['n2', 'n3'] } })).toBe('cut n1 → n2, n3');
    expect(faultSummary({ at: '1s', 'change-link': { to: 'n3', latency: '200ms' } })).toBe('link every endpoint → n3: latency 200ms');
    expect(groupsFromText(groupsText([['n1'], ['n2', 'n3']]))).toEqual([['n1'], ['n2', 'n3']]);
  });

  it('draws spans from a fault to what undoes it, open ones to the end', () => {
    const spans = faultSpans(
      [
        { at: '6s', heal: true },
        { at: '3s', partition: 'majority' },
        { at: '7s', kill: 'n2' },
        { at: '4s', pause: 'n1' },
        { at: '5s', resume: 'n1' },
      ],
      10_000,
    );
    expect(spans).toEqual([
      { fromMs: 3000, toMs: 6000, kind: 'partition', label: 'partition: majority' },
      { fromMs: 4000, toMs: 5000, kind: 'paused', label: 'pause n1' },
      { fromMs: 7000, toMs: 10_000, kind: 'down', label: 'kill n2' },
    ]);
  });
});

describe('problem placement', () => {
  it('matches exact paths and prefixes ending in *', () => {
    expect(claimCovers('nodes.count', 'nodes.count')).toBe(true);
    expect(claimCovers('nodes', 'nodes.count')).toBe(false);
    expect(claimCovers('faults[2]*', 'faults[2].kill')).toBe(true);
    expect(claimCovers('faults[2]*', 'faults[2]')).toBe(true);
    expect(claimCovers('faults[2]*', 'faults[20].kill')).toBe(false);
    expect(claimCovers('network.loss*', 'network.loss.burst.p')).toBe(true);
    const problems = [
      { path: '', message: 'invalid YAML' },
      { path: 'nodes.count', message: 'bad' },
    ];
    expect(problemsFor(problems, ['nodes.count'])).toEqual([{ path: 'nodes.count', message: 'bad' }]);
  });
});

describe('shell helpers', () => {
  it('suggests the Downloads folder of the user whose data folder holds the database', () => {
    expect(defaultExportFolder('/home/ana/.config/Distlab/distlab.db', 4)).toBe('/home/ana/Downloads/distlab-run-4');
    expect(defaultExportFolder('/Users/bo/Library/Application Support/Distlab/distlab.db', 4)).toBe('/Users/bo/Downloads/distlab-run-4');
    expect(defaultExportFolder('C:\\Users\\cy\\AppData\\Roaming\\Distlab\\distlab.db', 4)).toBe('C:\\Users\\cy\\Downloads\\distlab-run-4');
    expect(defaultExportFolder('/tmp/lab/runs.db', 4)).toBe('/tmp/lab/distlab-run-4');
    expect(defaultExportFolder(undefined, 4)).toBeNull();
  });

  it('formats durations for lists', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(5000)).toBe('5.00 s');
    expect(formatDuration(12_400)).toBe('12.4 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(null)).toBe('—');
  });
});
