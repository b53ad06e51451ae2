import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_DURATION_MS, formatDuration, parseDuration } from '../src/duration.js';

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
