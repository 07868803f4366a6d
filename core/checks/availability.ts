// Maelstrom's availability check: at least the expected fraction of operations succeeded.
import type { CheckResult } from './run-checks.js';

export function checkAvailability(expected: number, ops: { ok: number; fail: number; timeout: number }): CheckResult {
  const total = ops.ok + ops.fail + ops.timeout;
  const okFraction = total === 0 ? 1 : ops.ok / total;
  return { valid: okFraction >= expected, expected, okFraction: Math.round(okFraction * 10_000) / 10_000, ok: ops.ok, total };
}
