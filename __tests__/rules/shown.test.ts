import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseThreshold } from '../../src/values/percent.js';
import { showAgainst } from '../../src/rules/shown.js';
import { decimalText, fixedText, roundHalf } from '../../src/values/percent.js';

const limit = (text: string) => parseThreshold('max-drop', text);

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
  it('shows two decimals, rounded, where they agree with the limit', () => {
    expect(showAgainst(2n, 3n, limit('1'))).toBe('0.67');
    expect(showAgainst(500n, 100n, limit('5'))).toBe('5');
    expect(showAgainst(0n, 1n, limit('0'))).toBe('0');
  });

  it('adds digits until the shown value is on the exact value’s side of the limit', () => {
    // 4.996 is within 4.997: two decimals (5) would read as beyond it.
    expect(showAgainst(4996n, 1000n, limit('4.997'))).toBe('4.996');
    // 5.0004 is beyond 5: 5.00 and 5.000 would read as within.
    expect(showAgainst(50_004n, 10_000n, limit('5'))).toBe('5.0004');
    // 5.000666… is beyond 5: 5.001 is the first rounding above it.
    expect(showAgainst(15_002n, 3000n, limit('5'))).toBe('5.001');
    // 0.004 is above 0: 0 would read as no drop at all.
    expect(showAgainst(4n, 1000n, limit('0'))).toBe('0.004');
  });

  it('never contradicts the exact comparison (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 3 }),
        (num, den, scaled, decimals) => {
          const l = limit(((scaled % (100 * 10 ** decimals + 1)) / 10 ** decimals).toFixed(decimals));
          const text = showAgainst(num, den, l);
          expect(text).toMatch(/^\d+(\.\d*[1-9])?$/);
          const [whole, fraction = ''] = text.split('.');
          const shown = BigInt(`${whole}${fraction}`); // text = shown / 10^fraction.length
          const shownAbove = shown * 10n ** BigInt(l.decimals) > l.scaled * 10n ** BigInt(fraction.length);
          expect(shownAbove).toBe(num * 10n ** BigInt(l.decimals) > l.scaled * den);
        }
      )
    );
  });
});
