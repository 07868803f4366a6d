import { describe, it, expect } from 'vitest';
import {
  describeValue,
  formatDurationMs,
  parseBandwidthBytesPerSec,
  parseDurationMs,
  UnitError,
} from '../../core/experiment/units.js';

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['1.1s', 1100],
    ['.5s', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['250us', 0.25],
    ['250µs', 0.25], // micro sign
    ['250μs', 0.25], // Greek mu
    ['1us', 0.001],
    ['0s', 0],
    ['10 s', 10_000],
    [' 3ms ', 3],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it('reads a plain number as milliseconds', () => {
    expect(parseDurationMs(750)).toBe(750);
    expect(parseDurationMs(0.5)).toBe(0.5);
    expect(parseDurationMs(0)).toBe(0);
  });

  it.each([['5 sec'], ['10'], ['s'], ['1e3ms'], ['10S'], ['3d'], ['1.s'], ['']])('rejects %j naming the accepted forms', (text) => {
    expect(() => parseDurationMs(text)).toThrowError(
      `expected a duration like "500ms", "10s", "2m", "1.5s", "250us", "1h" or a number of milliseconds, got ${JSON.stringify(text)}`,
    );
  });

  it('rejects negative durations', () => {
    expect(() => parseDurationMs('-5s')).toThrowError('expected a duration that is not negative, got "-5s"');
    expect(() => parseDurationMs(-1)).toThrowError('expected a duration that is not negative, got -1');
  });

  it('rejects NaN, infinities and non-strings', () => {
    expect(() => parseDurationMs(Number.NaN)).toThrowError(/got NaN$/);
    expect(() => parseDurationMs(Number.POSITIVE_INFINITY)).toThrowError(/got Infinity$/);
    expect(() => parseDurationMs(true)).toThrowError(/got true$/);
    expect(() => parseDurationMs(undefined)).toThrowError(/got nothing$/);
  });

  it('throws UnitError carrying the expectation without the value', () => {
    try {
      parseDurationMs('fast');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UnitError);
      expect((error as UnitError).expected).toBe(
        'expected a duration like "500ms", "10s", "2m", "1.5s", "250us", "1h" or a number of milliseconds',
      );
      expect((error as UnitError).received).toBe('fast');
    }
  });
});

describe('parseBandwidthBytesPerSec', () => {
  it.each([
    ['100B/s', 100],
    ['512KB/s', 512_000],
    ['512kB/s', 512_000],
    ['1MB/s', 1_000_000],
    ['1.5MB/s', 1_500_000],
    ['2GB/s', 2_000_000_000],
    ['1KiB/s', 1024],
    ['512KiB/s', 512 * 1024],
    ['1MiB/s', 1024 ** 2],
    ['1GiB/s', 1024 ** 3],
    ['800kbit/s', 100_000],
    ['800Kbit/s', 100_000],
    ['10Mbit/s', 1_250_000],
    ['10Mbps', 1_250_000],
    ['1Gbps', 125_000_000],
    ['1Mibit/s', 1024 ** 2 / 8],
    ['8bit/s', 1],
    ['12bps', 1.5],
    ['10 MB/s', 10_000_000],
  ])('reads %j as %d bytes/s', (text, bytesPerSec) => {
    expect(parseBandwidthBytesPerSec(text)).toBe(bytesPerSec);
  });

  it('reads a plain number as bytes per second', () => {
    expect(parseBandwidthBytesPerSec(4096)).toBe(4096);
  });

  it.each([['1MB'], ['10mbps'], ['1 furlong/s'], ['1TB/s'], ['MB/s'], ['1Mb/s']])('rejects %j naming the accepted forms', (text) => {
    expect(() => parseBandwidthBytesPerSec(text)).toThrowError(
      `expected a bandwidth like "1MB/s", "512KiB/s", "10Mbit/s", "10Mbps", "1Gbps" or a number of bytes per second, got ${JSON.stringify(text)}`,
    );
  });

  it('rejects zero and negative bandwidths, pointing to null for unlimited', () => {
    const expected = 'expected a bandwidth greater than 0 (use null for unlimited)';
    expect(() => parseBandwidthBytesPerSec(0)).toThrowError(`${expected}, got 0`);
    expect(() => parseBandwidthBytesPerSec('0MB/s')).toThrowError(`${expected}, got "0MB/s"`);
    expect(() => parseBandwidthBytesPerSec('-1MB/s')).toThrowError(`${expected}, got "-1MB/s"`);
    expect(() => parseBandwidthBytesPerSec(-5)).toThrowError(`${expected}, got -5`);
  });
});

describe('formatDurationMs', () => {
  it.each([
    [3_600_000, '1h'],
    [120_000, '2m'],
    [90_000, '90s'],
    [10_000, '10s'],
    [1500, '1500ms'],
    [1.5, '1.5ms'],
    [0, '0ms'],
    [0.25, '250us'],
  ])('writes %d ms as %j', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });
});

describe('describeValue', () => {
  it('writes short JSON and truncates long values', () => {
    expect(describeValue('three')).toBe('"three"');
    expect(describeValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('nothing');
    const long = describeValue('x'.repeat(200));
    expect(long).toHaveLength(60);
    expect(long.endsWith('…')).toBe(true);
  });
});
