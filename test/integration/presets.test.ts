import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runCliAsync, tempDir, lastJsonLine } from './helpers.js';

// Each shipped preset runs headless with `distlab run`, as a user would, and finishes in
// well under 30 s. Those whose lesson is a failing check say so here. Two run at a time
// (vitest's maxConcurrency): they spend their time waiting for their run's clock.
const EXPECTED_INVALID: Record<string, string[]> = {
  'primary-backup-async-loss.yaml': ['committed-not-lost', 'logs-agree'],
};
const presets = readdirSync(path.join(repoRoot, 'resources/experiments')).filter((f) => f.endsWith('.yaml'));

describe('the shipped presets', () => {
  it.concurrent.each(presets)('%s runs to completion with the expected checks', async (file) => {
    const started = Date.now();
    const out = await runCliAsync(['run', path.join(repoRoot, 'resources/experiments', file), '--db', path.join(tempDir(), 'runs.db'), '--json'], { timeoutMs: 40_000 });
    expect(Date.now() - started).toBeLessThan(30_000);
    const summary = lastJsonLine(out.stdout);
    expect(summary.status).toBe('completed');
    expect(summary.problems).toEqual([]);
    const invalid = Object.entries(summary.checks as Record<string, { valid: boolean }>).filter(([, c]) => !c.valid).map(([name]) => name).sort();
    expect(invalid).toEqual(EXPECTED_INVALID[file] ?? []);
    expect(out.code).toBe(invalid.length ? 1 : 0);
  }, 45_000);
});
