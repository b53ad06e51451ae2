import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_DURATION_MS, formatDuration, parseDuration } from '../../src/values/duration.js';

describe('parseDuration', () => {
  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['1500ms', 1500],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['1d', 86_400_000],
    [' 0 ', 0],
    ['0s', 0],
    ['24H', 86_400_000],
    ['30S', 30_000],
    ['30 s', 30_000],
    ['1M 30S', 90_000],
    ['1h 0m 3s', 3_603_000],
    ['1500 MS', 1500],
    ['2 h', 7_200_000],
    ['2D', 2 * 86_400_000]
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration('wait-timeout', text, 2 * 86_400_000)).toBe(ms);
  });

  it.each([
    '',
    '-1',
    '-5s',
    'abc',
    '10 parsecs',
    '1.5s',
    '30s1m',
    '1mm',
    '1xh',
    's',
    'ms',
    '1w',
    '2d',
    '1e3',
    '0x10',
    '25h',
    '1 0m',
    '10 m s',
    '30 S S'
  ])('refuses %j naming the input and listing the units', (text) => {
    expect(() => parseDuration('poll-interval', text)).toThrow(/Input 'poll-interval'/);
    if (!/2d|25h/.test(text)) expect(() => parseDuration('poll-interval', text)).toThrow(/in units d, h, m, s and ms/);
  });

  it('reads whatever formatDuration writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 86_399_000 }), (ms) => {
        const whole = Math.round(ms / 1000) * 1000;
        expect(parseDuration('x', formatDuration(whole))).toBe(whole);
      })
    );
  });

  it('accepts exactly up to a day', () => {
    expect(parseDuration('x', '24h')).toBe(MAX_DURATION_MS);
    expect(() => parseDuration('x', '86401')).toThrow(/too long/);
    expect(parseDuration('max-age', '30d', 400 * 86_400_000)).toBe(30 * 86_400_000);
  });

  it('round-trips any composition of units', () => {
    fc.assert(
      fc.property(fc.nat(23), fc.nat(59), fc.nat(59), fc.nat(999), (h, m, s, ms) => {
        const text = `${h}h${m}m${s}s${ms}ms`;
        expect(parseDuration('x', text)).toBe(((h * 60 + m) * 60 + s) * 1000 + ms);
      })
    );
  });

  it('never throws anything but an error naming the input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const ms = parseDuration('request-timeout', text);
          expect(Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_DURATION_MS).toBe(true);
        } catch (error) {
          expect((error as Error).message).toContain("Input 'request-timeout'");
        }
      })
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [45_000, '45s'],
    [125_000, '2m 5s'],
    [3_603_000, '1h 0m 3s'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d 4h']
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('durations at their edges', () => {
  const expected =
    'expected a duration such as 90, 90s, 1500ms, 10m, 1h or 1m30s, in units d, h, m, s and ms (at most 1d 0h)';
  it.each([
    ['5ms', 5],
    ['1m5ms', 60_005],
    [' 90s ', 90_000],
    ['5 s', 5000],
    ['86400', MAX_DURATION_MS]
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration('wait-timeout', text)).toBe(ms);
  });

  it.each(['', '1.5s', '10 parsecs', '-5', 's5', '1h1d', '5 x'])(
    'refuses %j as malformed, saying what it expects',
    (text) => {
      expect(() => parseDuration('wait-timeout', text)).toThrow(
        `Input 'wait-timeout' is ${JSON.stringify(text)}: ${expected}.`
      );
    }
  );

  it('refuses a duration over the limit as too long, naming the limit', () => {
    expect(() => parseDuration('wait-timeout', '86401')).toThrow(
      `Input 'wait-timeout' is "86401", which is too long: ${expected}.`
    );
    expect(() => parseDuration('wait-timeout', '24h1ms')).toThrow(/which is too long/);
    expect(() => parseDuration('max-age', '401d', 400 * 86_400_000)).toThrow(/too long: .*\(at most 400d 0h\)\.$/);
    expect(() => parseDuration('x', '9'.repeat(400))).toThrow(/too long/);
    expect(parseDuration('max-age', '1d1h1m1s1ms', 400 * 86_400_000)).toBe(90_061_001);
  });

  it.each([
    [-5, '0ms'],
    [0, '0ms'],
    [999, '999ms'],
    [1000, '1s'],
    [59_499, '59s'],
    [59_500, '1m 0s'],
    [60_000, '1m 0s'],
    [3_600_000, '1h 0m 0s'],
    [86_399_000, '23h 59m 59s'],
    [86_400_000, '1d 0h'],
    [90_061_001, '1d 1h']
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
