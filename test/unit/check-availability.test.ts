import { describe, it, expect } from 'vitest';
import { checkAvailability } from '../../core/checks/availability.js';

describe('the availability check', () => {
  it('is valid when the fraction of ok operations reaches the expected one', () => {
    expect(checkAvailability(0.9, { ok: 9, fail: 1, timeout: 0 })).toEqual({ valid: true, expected: 0.9, okFraction: 0.9, ok: 9, total: 10 });
    expect(checkAvailability(0.95, { ok: 9, fail: 0, timeout: 1 }).valid).toBe(false);
  });

  it('with total, fails on a single failed or timed-out operation, and passes a run without operations', () => {
    expect(checkAvailability(1, { ok: 99, fail: 0, timeout: 1 })).toMatchObject({ valid: false, okFraction: 0.99 });
    expect(checkAvailability(1, { ok: 0, fail: 0, timeout: 0 })).toMatchObject({ valid: true, okFraction: 1 });
  });
});
