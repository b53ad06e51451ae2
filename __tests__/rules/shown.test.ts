import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseThreshold } from '../../src/values/percent.js';
import { agreesAt, fewestDigits, showAgainst, type Limit } from '../../src/rules/shown.js';
import { decimalText, fixedText, roundHalf } from '../../src/values/percent.js';

const limit = (text: string) => parseThreshold('max-drop', text);
/** A limit the shown value must be above (strict) as the exact one is, or at or above. */
const above = (text: string): Limit[] => [{ ...limit(text), strict: true }];
const atLeast = (text: string): Limit[] => [limit(text)];

describe('decimalText', () => {
  it('drops trailing zeros only, and the point with them', () => {
    expect(decimalText(9750n, 2)).toBe('97.5');
    expect(decimalText(9700n, 2)).toBe('97');
    expect(decimalText(9005n, 2)).toBe('90.05');
    expect(decimalText(90_050n, 3)).toBe('90.05');
    expect(decimalText(7n, 3)).toBe('0.007');
    expect(decimalText(0n, 2)).toBe('0');
    expect(decimalText(1200n, 0)).toBe('1200');
  });
});

describe('fixedText', () => {
  it('keeps exactly the digits asked for, padding with zeros', () => {
    expect(fixedText(750n, 1)).toBe('75.0');
    expect(fixedText(5n, 3)).toBe('0.005');
    expect(fixedText(0n, 2)).toBe('0.00');
    expect(fixedText(1000n, 1)).toBe('100.0');
    expect(fixedText(42n, 0)).toBe('42');
  });

  it('reads back as the value it was given (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 25 }), (v, digits) => {
        const text = fixedText(v, digits);
        const [whole, fraction = ''] = text.split('.');
        expect(fraction.length).toBe(digits);
        expect(BigInt(`${whole}${fraction}`)).toBe(v);
      })
    );
  });
});

describe('roundHalf', () => {
  it('rounds to nearest with ties up', () => {
    expect(roundHalf(1n, 8n, 2)).toBe(13n); // 12.5 → 13
    expect(roundHalf(1n, 3n, 2)).toBe(33n);
    expect(roundHalf(2n, 3n, 2)).toBe(67n);
    expect(roundHalf(5n, 1n, 0)).toBe(5n);
    expect(roundHalf(0n, 7n, 4)).toBe(0n);
  });
});

describe('showAgainst', () => {
  it('shows two decimals, rounded, where they agree with the limits', () => {
    expect(showAgainst(2n, 3n, above('1'))).toBe('0.67');
    expect(showAgainst(500n, 100n, above('5'))).toBe('5');
    expect(showAgainst(0n, 1n, above('0'))).toBe('0');
    expect(showAgainst(2n, 3n, [])).toBe('0.67');
  });

  it('adds digits until the shown value is on the exact value’s side of a strict limit', () => {
    // 4.996 is within 4.997: two decimals (5) would read as beyond it.
    expect(showAgainst(4996n, 1000n, above('4.997'))).toBe('4.996');
    // 5.0004 is beyond 5: 5.00 and 5.000 would read as within.
    expect(showAgainst(50_004n, 10_000n, above('5'))).toBe('5.0004');
    // 5.000666… is beyond 5: 5.001 is the first rounding above it.
    expect(showAgainst(15_002n, 3000n, above('5'))).toBe('5.001');
    // 0.004 is above 0: 0 would read as no drop at all.
    expect(showAgainst(4n, 1000n, above('0'))).toBe('0.004');
  });

  it('tells at or above from above at the limit itself', () => {
    // 4.9996 rounds to 5: at or above 5 it is not, above 5 it is not either.
    expect(showAgainst(49_996n, 10_000n, atLeast('5'))).toBe('4.9996');
    expect(showAgainst(49_996n, 10_000n, above('5'))).toBe('5');
    // Exactly 5 is at or above 5, and not above it: 5 serves both.
    expect(showAgainst(5n, 1n, atLeast('5'))).toBe('5');
    expect(showAgainst(5n, 1n, above('5'))).toBe('5');
    // 5.0004 rounds to 5, which is at or above 5 as the exact value is.
    expect(showAgainst(50_004n, 10_000n, atLeast('5'))).toBe('5');
  });

  it('serves every limit at once, with the digits the hardest one needs', () => {
    // 94.9949: at or above 94.991, which 94.99 would not read as.
    const limits = [...atLeast('94.991'), ...above('90'), ...atLeast('94.99')];
    expect(showAgainst(949_949n, 10_000n, limits)).toBe('94.995');
    expect(showAgainst(949_949n, 10_000n, limits.slice(1))).toBe('94.99');
  });

  it('never contradicts the exact comparison with any limit (property)', () => {
    const limitOf = fc
      .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 3 }), fc.boolean())
      .map(([scaled, decimals, strict]) => ({
        ...limit(((scaled % (100 * 10 ** decimals + 1)) / 10 ** decimals).toFixed(decimals)),
        strict
      }));
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.array(limitOf, { maxLength: 3 }),
        (num, den, limits) => {
          const text = showAgainst(num, den, limits);
          expect(text).toMatch(/^\d+(\.\d*[1-9])?$/);
          const [whole, fraction = ''] = text.split('.');
          const shown = BigInt(`${whole}${fraction}`); // text = shown / 10^fraction.length
          for (const l of limits) {
            const side = (a: bigint, b: bigint) => (l.strict ? a > b : a >= b);
            const shownSide = side(shown * 10n ** BigInt(l.decimals), l.scaled * 10n ** BigInt(fraction.length));
            expect(shownSide).toBe(side(num * 10n ** BigInt(l.decimals), l.scaled * den));
          }
          // Two decimals, or the fewest more that agree.
          expect(fraction.length <= 2 || !agreesAt(num, den, fraction.length - 1, limits)).toBe(true);
        }
      )
    );
  });
});

describe('agreesAt and fewestDigits', () => {
  it('checks every limit at the digits given', () => {
    expect(agreesAt(18_999n, 200n, 2, atLeast('90'))).toBe(true);
    expect(agreesAt(18_999n, 200n, 2, [...atLeast('90'), ...atLeast('95')])).toBe(false);
    expect(agreesAt(18_999n, 200n, 3, [...atLeast('90'), ...atLeast('95')])).toBe(true);
    expect(agreesAt(18_999n, 200n, 0, [])).toBe(true);
  });

  it('finds the fewest digits from two', () => {
    expect(fewestDigits(() => true)).toBe(2);
    expect(fewestDigits((d) => d >= 5)).toBe(5);
    const asked: number[] = [];
    fewestDigits((d) => asked.push(d) >= 2);
    expect(asked).toEqual([2, 3]);
  });
});
