import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { formatRate, formatRateAgainst, meetsThreshold } from '../../src/rules/rate.js';
import { looksLikeFraction, parseThreshold } from '../../src/values/percent.js';

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

describe('formatRate (charts)', () => {
  it.each([
    [23, 25, '92'],
    [2, 3, '66.67'],
    [1, 3, '33.33'],
    [25, 25, '100'],
    [0, 25, '0'],
    [1, 8, '12.5'],
    [99_999, 100_000, '100'],
    [1, 1_000_000, '0'],
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
          const shown = BigInt(Math.round(Number(text) * 100));
          const diff = shown * 2n * BigInt(total) - BigInt(completed) * 20_000n;
          const abs = diff < 0n ? -diff : diff;
          expect(abs <= BigInt(total)).toBe(true);
        }
      )
    );
  });
});

/** A decimal text as an exact fraction: `94.995` is 94995 / 1000. */
function exact(text: string): { n: bigint; d: bigint } {
  const [whole = '', fraction = ''] = text.split('.');
  return { n: BigInt(whole + fraction), d: 10n ** BigInt(fraction.length) };
}

describe('formatRateAgainst: the rate a person reads next to a verdict', () => {
  it.each([
    [18_999, 20_000, '95', '94.995'], // rounds to 95, yet misses 95
    [19_999, 20_000, '99.995', '99.995'], // rounds to 100, shown 99.99 before, yet meets 99.995
    [19_999, 20_000, '95', '99.995'], // a rate short of 100 never reads 100
    [1, 100_000, '0', '0.001'], // a rate above 0 never reads 0
    [2, 3, '66.67', '66.667'],
    [2, 3, '66.6667', '66.66667'],
    [2, 3, '66.66', '66.67'],
    [2, 3, '50', '66.67'],
    [23, 25, '95', '92'],
    [25, 25, '100', '100'],
    [0, 25, '0', '0'],
    [1, 3, '33.3333333333', '33.3333333333'],
    [1, 3, '33.3333333334', '33.33'],
    [2, 3, '66.6666666667', '66.66666666667']
  ])('%d of %d against %s reads %s', (completed, total, threshold, text) => {
    expect(formatRateAgainst(completed, total, [t(threshold)])).toBe(text);
  });

  it('compares with any threshold as the exact verdict does, rounding as little as that allows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(100),
        fc.stringMatching(/^\d{0,10}$/),
        fc.boolean(),
        (total, share, whole, digits, nearRate) => {
          const completed = Math.floor(total * share);
          // Half the thresholds sit right at the rate's own digits, where a verdict turns on rounding.
          const written = nearRate
            ? formatRateAgainst(completed, total, [t('0')])
            : `${whole}${digits ? `.${digits}` : ''}`;
          let threshold;
          try {
            threshold = t(written);
          } catch {
            return; // above 100
          }
          const text = formatRateAgainst(completed, total, [threshold]);
          expect(text).toMatch(/^\d{1,3}(\.\d*[1-9])?$/);
          const shown = exact(text);
          const c = BigInt(completed);
          const n = BigInt(total);
          // The shown number meets the threshold exactly when the counts do.
          const unit = 10n ** BigInt(threshold.decimals);
          expect(shown.n * unit >= threshold.scaled * shown.d).toBe(meetsThreshold(completed, total, threshold));
          // It is the exact rate rounded: within half a unit of its last digit (of the hundredths at least).
          const last = shown.d < 100n ? 100n : shown.d;
          const diff = shown.n * (last / shown.d) * n * 2n - c * 200n * last;
          expect((diff < 0n ? -diff : diff) <= n).toBe(true);
          if (c < n) expect(text).not.toBe('100');
          if (c > 0n) expect(text).not.toBe('0');
          // Two decimals whenever those already agree.
          const plain = formatRate(completed, total);
          const plainAgrees =
            exact(plain).n * unit >= threshold.scaled * exact(plain).d === meetsThreshold(completed, total, threshold);
          if (plainAgrees && !(plain === '100' && c < n) && !(plain === '0' && c > 0n)) expect(text).toBe(plain);
        }
      ),
      { numRuns: 2000 }
    );
  });
});

describe('formatRateAgainst with several limits', () => {
  it('agrees with every threshold it was compared with, the threshold and warn-below alike', () => {
    // 94.995 %: passes 90, misses warn-below 95; against 90 alone two decimals (95) would do.
    expect(formatRateAgainst(18_999, 20_000, [t('90')])).toBe('95');
    expect(formatRateAgainst(18_999, 20_000, [t('90'), t('95')])).toBe('94.995');
    expect(formatRateAgainst(18_999, 20_000, [t('95'), t('90')])).toBe('94.995');
    // Each limit needs its own digits: the most any of them needs is shown.
    expect(formatRateAgainst(2, 3, [t('66.67'), t('66.6667')])).toBe('66.66667');
    expect(formatRateAgainst(23, 25, [])).toBe('92');
    expect(formatRateAgainst(19_999, 20_000, [])).toBe('99.995');
  });

  it('falls on the exact side of every limit (property)', () => {
    const threshold = fc.integer({ min: 0, max: 100_000 }).map((n) => t((n / 1000).toFixed(3)));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(threshold, { maxLength: 3 }),
        (total, share, limits) => {
          const completed = Math.floor(total * share);
          const shown = exact(formatRateAgainst(completed, total, limits));
          for (const limit of limits) {
            const unit = 10n ** BigInt(limit.decimals);
            expect(shown.n * unit >= limit.scaled * shown.d).toBe(meetsThreshold(completed, total, limit));
          }
        }
      )
    );
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
    expect(formatRateAgainst(90_055, 1_000_000, [t('9.0060')])).toBe('9.0055');
    // 9.00551 % rounds to 9.006 at three decimals, still meeting it: four it takes.
    expect(formatRateAgainst(900_551, 10_000_000, [t('9.006')])).toBe('9.0055');
  });

  it('rounds to as many digits as the verdict needs, and no more', () => {
    // 13 333 of 20 000 is exactly 66.665 %: rounded to two decimals, 66.67.
    expect(formatRateAgainst(13_333, 20_000, [t('66.67')])).toBe('66.665');
    expect(formatRateAgainst(2, 3, [t('66.67')])).toBe('66.667');
    // A whole-number threshold still gets three decimals: 94.996 % is not 95 %.
    expect(formatRateAgainst(94_996, 100_000, [t('95')])).toBe('94.996');
  });
});

describe('parseThreshold and formatRate, more edges', () => {
  it('takes up to ten decimal places, and says so past them', () => {
    expect(t('1.0123456789')).toEqual({ scaled: 10_123_456_789n, decimals: 10, text: '1.0123456789' });
    expect(t('1.01234567890000')).toEqual({ scaled: 10_123_456_789n, decimals: 10, text: '1.0123456789' });
    expect(() => t('1.01234567891')).toThrow(
      `Input 'threshold' is "1.01234567891": at most 10 decimal places are supported.`
    );
  });

  it('refuses what is not a percentage with a message that shows the value and the expected form', () => {
    expect(() => t('0100')).toThrow(
      `Input 'threshold' is "0100": expected a percentage from 0 to 100 such as 95, 95% or 92.5.`
    );
    expect(() => t('100.5')).toThrow(
      `Input 'threshold' is "100.5", which is above 100: expected a percentage from 0 to 100 such as 95, 95% or 92.5.`
    );
    expect(() => t('101')).toThrow(/which is above 100/);
  });

  it.each([
    [1, 2000, '0.05'],
    [201, 2000, '10.05'],
    [1, 20_000, '0.01'],
    [1, 3, '33.33']
  ])('formats %d of %d as %s, keeping a zero inside the decimals', (completed, total, text) => {
    expect(formatRate(completed, total)).toBe(text);
  });
});
