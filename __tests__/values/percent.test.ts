import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isBelow, parseThreshold } from '../../src/values/percent.js';

const t = (text: string) => parseThreshold('threshold', text);

describe('isBelow', () => {
  it('compares exactly whatever decimals each side was written with', () => {
    expect(isBelow(t('94.99'), t('95'))).toBe(true);
    expect(isBelow(t('95'), t('94.99'))).toBe(false);
    expect(isBelow(t('95'), t('95.000'))).toBe(false);
    expect(isBelow(t('95.0001'), t('95'))).toBe(false);
    expect(isBelow(t('0'), t('0.0000000001'))).toBe(true);
  });

  it('agrees with the order of the values as fractions (property)', () => {
    const text = fc
      .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9999 }))
      .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(4, '0')}`);
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(isBelow(t(a), t(b))).toBe(Number(a.replace('.', '')) < Number(b.replace('.', '')));
      })
    );
  });
});
