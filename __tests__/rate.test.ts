import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { formatRate, formatRateAgainst, looksLikeFraction, meetsThreshold, parseThreshold } from '../src/rate.js';

const t = (text: string) => parseThreshold('threshold', text);

describe('parseThreshold', () => {
  it.each([
    ['95', '95'],
    ['95%', '95'],
    ['92.5', '92.5'],
    ['92.50', '92.5'],
    ['0', '0'],
    ['100', '100'],
    ['100.000', '100'],
    ['007', '7'],
    [' 66.67 % ', '66.67'],
    ['0.95', '0.95']
  ])('reads %j as %s', (text, canonical) => {
    expect(t(text).text).toBe(canonical);
  });

  it.each(['abc', '150', '-1', 'NaN', '1e400', '0x10', '', '100.01', '1,5', '.5', '5.', 'Infinity', '95%%', '+5'])(
    'refuses %j naming the input',
    (text) => {
      expect(() => t(text)).toThrow(/Input 'threshold'/);
    }
  );

  it('flags fraction-looking values only', () => {
    expect(looksLikeFraction(t('0.95'))).toBe(true);
    expect(looksLikeFraction(t('0.5'))).toBe(true);
    expect(looksLikeFraction(t('0'))).toBe(false);
    expect(looksLikeFraction(t('1'))).toBe(false);
    expect(looksLikeFraction(t('95'))).toBe(false);
  });
});

describe('meetsThreshold', () => {
  it('decides the classic floating-point traps exactly', () => {
    expect(meetsThreshold(29, 100, t('29'))).toBe(true); // 29/100*100 is 28.999… in floats
    expect(meetsThreshold(2, 3, t('66.67'))).toBe(false);
    expect(meetsThreshold(2, 3, t('66.66'))).toBe(true);
    expect(meetsThreshold(57, 100, t('57'))).toBe(true);
    expect(meetsThreshold(23, 25, t('92'))).toBe(true);
    expect(meetsThreshold(23, 25, t('92.01'))).toBe(false);
    expect(meetsThreshold(0, 5, t('0'))).toBe(true);
    expect(meetsThreshold(99_999, 100_000, t('100'))).toBe(false);
  });

  it('agrees with a BigInt reference for any counts and threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(100),
        fc.nat(9999),
        (total, share, whole, fraction) => {
          const completed = Math.floor(total * share);
          const text = whole === 100 ? '100' : `${whole}.${String(fraction).padStart(4, '0')}`;
          // Reference, by division rather than cross-multiplication: the rate in units of
          // 10^-4 percent, rounded down, is at least the threshold in the same units exactly
          // when the rate is (floor(x) >= n <=> x >= n for a whole n).
          const thresholdUnits = BigInt(whole) * 10_000n + (whole === 100 ? 0n : BigInt(fraction));
          const rateUnits = (BigInt(completed) * 1_000_000n) / BigInt(total);
          const expected = rateUnits >= thresholdUnits;
          expect(meetsThreshold(completed, total, t(text))).toBe(expected);
        }
      )
    );
  });
});

describe('formatRate', () => {
  it.each([
    [23, 25, '92'],
    [2, 3, '66.67'],
    [1, 3, '33.33'],
    [25, 25, '100'],
    [0, 25, '0'],
    [1, 8, '12.5'],
    [99_999, 100_000, '99.99'],
    [1, 100_000, '0.01'],
    [29, 100, '29']
  ])('%d of %d is %s', (completed, total, text) => {
    expect(formatRate(completed, total)).toBe(text);
  });

  it('has at most two decimals, no trailing zeros, and is within 0.005 of the exact rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (total, share) => {
          const completed = Math.floor(total * share);
          const text = formatRate(completed, total);
          expect(text).toMatch(/^\d{1,3}(\.\d?[1-9])?$/);
          // |shown - exact| <= 0.005 (rounding), or the 100/0 clamps within 0.01.
          const shown = BigInt(Math.round(Number(text) * 100));
          const diff = shown * 2n * BigInt(total) - BigInt(completed) * 20_000n;
          const abs = diff < 0n ? -diff : diff;
          expect(abs <= 2n * BigInt(total)).toBe(true);
          if (completed < total) expect(text).not.toBe('100');
          if (completed > 0) expect(text).not.toBe('0');
        }
      )
    );
  });
});

describe('formatRateAgainst', () => {
  it('shows enough digits to be below the threshold it misses', () => {
    expect(formatRateAgainst(2, 3, t('66.67'))).toBe('66.666…');
    expect(formatRateAgainst(23, 25, t('95'))).toBe('92');
    expect(formatRateAgainst(2, 3, t('66.6667'))).toBe('66.66666…');
    expect(formatRateAgainst(2, 3, t('50'))).toBe('66.67');
  });
});

describe('digits that matter', () => {
  it('keeps a zero inside the decimals of a threshold', () => {
    const threshold = t('92.05');
    expect(threshold).toEqual({ scaled: 9205n, decimals: 2, text: '92.05' });
    expect(meetsThreshold(9204, 10_000, threshold)).toBe(false);
    expect(meetsThreshold(9205, 10_000, threshold)).toBe(true);
    expect(t('9.0060')).toEqual({ scaled: 9006n, decimals: 3, text: '9.006' });
  });

  it('shows zeros inside the decimals of a rate that misses', () => {
    // 9.0055 % rounds to 9.01, which would meet 9.006: the text must show the zeros.
    expect(formatRateAgainst(90_055, 1_000_000, t('9.0060'))).toBe('9.0055');
    expect(formatRateAgainst(900_551, 10_000_000, t('9.006'))).toBe('9.0055…');
  });

  it('marks a rate cut short with …, and an exact one without', () => {
    // 13 333 of 20 000 is exactly 66.665 %: rounded, 66.67.
    expect(formatRateAgainst(13_333, 20_000, t('66.67'))).toBe('66.665');
    expect(formatRateAgainst(2, 3, t('66.67'))).toBe('66.666…');
    // A whole-number threshold still gets three decimals: 94.996 % is not 95 %.
    expect(formatRateAgainst(94_996, 100_000, t('95'))).toBe('94.996');
  });
});
