// The gate in front of the engine host: method and event allowlists, plain JSON arguments of
// a bounded size, and the app's own origin. Pure functions, tested without Electron.
import { describe, it, expect } from 'vitest';
import { EVENTS, METHODS } from '../../core/api/contract.js';
import { MAX_ARG_DEPTH, MAX_ARG_JSON_BYTES, checkCall, isAppUrl, isEventName, isMethod } from '../../electron/ipc-validation.js';

describe('method and event allowlists', () => {
  it('accepts exactly the contract methods', () => {
    for (const method of METHODS) expect(isMethod(method)).toBe(true);
    for (const name of ['', 'lab', 'runs.delete', 'constructor', '__proto__', 'toString', 'RUNS.LIST', 'runs.list ', 42, null, undefined, ['runs.list']]) {
      expect(isMethod(name)).toBe(false);
    }
  });

  it('accepts exactly the contract events', () => {
    for (const event of EVENTS) expect(isEventName(event)).toBe(true);
    for (const name of ['run.status2', 'ipc', 'distlab:event', '', 7, {}]) expect(isEventName(name)).toBe(false);
  });

  it('refuses an unknown method with an input error that lists the methods', () => {
    const checked = checkCall('runs.delete', null);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.error.kind).toBe('input');
    expect(checked.error.message).toContain('unknown method "runs.delete"');
    expect(checked.error.message).toContain('runs.list');
    expect(checked.error.problems).toEqual([{ path: 'method', message: checked.error.message }]);
    expect(checkCall(12, null)).toMatchObject({ ok: false, error: { message: expect.stringContaining('unknown method a number') } });
  });
});

describe('argument checks', () => {
  it('passes plain JSON through, and an absent argument as null', () => {
    expect(checkCall('runs.list', undefined)).toEqual({ ok: true, method: 'runs.list', arg: null });
    const arg = { runId: 3, fault: { partition: [['n1'], ['n2', 'n3']], note: null, on: true } };
    expect(checkCall('run.fault', arg)).toEqual({ ok: true, method: 'run.fault', arg });
    const bare = Object.assign(Object.create(null) as object, { text: 'name: x' });
    expect(checkCall('experiment.validate', bare).ok).toBe(true);
  });

  it('names the field that JSON cannot carry', () => {
    const cases: Array<[unknown, string, string]> = [
      [{ runId: Number.NaN }, 'runId', 'NaN, which is not a finite number'],
      [{ runId: Infinity }, 'runId', 'Infinity'],
      [{ text: undefined }, 'text', 'undefined'],
      [{ fault: { at: 10n } }, 'fault.at', 'a bigint'],
      [{ fault: { kill: () => 'n2' } }, 'fault.kill', 'a function'],
      [{ list: [1, Symbol('s')] }, 'list[1]', 'a symbol'],
      [{ when: new Date(0) }, 'when', 'a Date, which is not a plain JSON object'],
      [{ bytes: new Uint8Array(4) }, 'bytes', 'a Uint8Array'],
      [{ map: new Map() }, 'map', 'a Map'],
    ];
    for (const [arg, path, message] of cases) {
      const checked = checkCall('run.fault', arg);
      expect(checked.ok, path).toBe(false);
      if (checked.ok) continue;
      expect(checked.error.kind).toBe('input');
      expect(checked.error.problems?.[0].path).toBe(path);
      expect(checked.error.message).toContain(message);
      expect(checked.error.message).toMatch(/^run\.fault: the argument /);
    }
  });

  it('refuses nesting deeper than the limit', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i <= MAX_ARG_DEPTH + 1; i++) deep = { down: deep };
    const checked = checkCall('run.fault', deep);
    expect(checked).toMatchObject({ ok: false, error: { message: expect.stringContaining(`deeper than ${MAX_ARG_DEPTH} levels`) } });
  });

  it('refuses an argument over the size limit, and accepts the largest experiment text', () => {
    const largest = 'x'.repeat(1 << 20);
    expect(checkCall('run.start', { text: largest }).ok).toBe(true);
    const huge = '\u00e9'.repeat(MAX_ARG_JSON_BYTES / 2 + 1);
    const checked = checkCall('run.start', { text: huge });
    expect(checked).toMatchObject({ ok: false, error: { kind: 'input', message: expect.stringMatching(/bytes of JSON, over the limit of 4194304/) } });
  });
});

describe('the app origin', () => {
  it('is distlab://app and nothing else', () => {
    expect(isAppUrl('distlab://app/index.html')).toBe(true);
    expect(isAppUrl('distlab://app/')).toBe(true);
    expect(isAppUrl('distlab://app/assets/index-abc.js?x=1#y')).toBe(true);
    for (const url of [
      'distlab://other/index.html',
      'distlab://app.evil.com/index.html',
      'distlab://user@app/index.html',
      'https://app/index.html',
      'file:///work/main/dist/renderer/index.html',
      'http://127.0.0.1:5173/',
      'javascript:alert(1)',
      'not a url',
      '',
      undefined,
    ]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });
});
