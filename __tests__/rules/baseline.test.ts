import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkDrop } from '../../src/rules/baseline.js';
import { parseThreshold } from '../../src/values/percent.js';

const d = (text: string) => parseThreshold('max-drop', text);
const c = (completed: number, total: number) => ({ completed, total });

describe('checkDrop', () => {
  it('passes exactly max-drop below the baseline and fails beyond it', () => {
    expect(checkDrop(c(94, 100), c(99, 100), d('5'))).toEqual({ fails: false, below: true, points: '5' });
    expect(checkDrop(c(93, 100), c(99, 100), d('5'))).toEqual({ fails: true, below: true, points: '6' });
  });

  it('compares fractions exactly where floats would not', () => {
    // 99/100 - 2/3 is 32.333… points: 32.33 is exceeded, 32.34 is not.
    expect(checkDrop(c(2, 3), c(99, 100), d('32.33')).fails).toBe(true);
    expect(checkDrop(c(2, 3), c(99, 100), d('32.34')).fails).toBe(false);
    // 0.3 - 0.1 is 0.19999… in floats; here it is 20 points exactly.
    expect(checkDrop(c(1, 10), c(3, 10), d('20')).fails).toBe(false);
  });

  it('shows the drop with the digits it takes to agree with the verdict', () => {
    // 99.999 - 95.003 = 4.996 points, within max-drop 4.997: rounded it would read 5, beyond it.
    const within = checkDrop(c(95_003, 100_000), c(99_999, 100_000), d('4.997'));
    expect(within).toEqual({ fails: false, below: true, points: '4.996' });
    // Where two decimals agree with the verdict, two decimals it is.
    expect(checkDrop(c(95_003, 100_000), c(99_999, 100_000), d('4.9')).points).toBe('5');
    // 5.0004 points against max-drop 5: rounded to 5 would read as within the limit.
    const over = checkDrop(c(949_996, 1_000_000), c(1, 1), d('5'));
    expect(over).toEqual({ fails: true, below: true, points: '5.0004' });
    // 5.000666… points: rounded, as rates are, with no mark of a cut (5.00 would read as within).
    expect(checkDrop(c(284_998, 300_000), c(1, 1), d('5')).points).toBe('5.001');
  });

  it('never fails a rate at or above the baseline', () => {
    expect(checkDrop(c(100, 100), c(90, 100), d('0'))).toEqual({ fails: false, below: false, points: '10' });
    // Level with the baseline is not below it.
    expect(checkDrop(c(9, 10), c(90, 100), d('0'))).toEqual({ fails: false, below: false, points: '0' });
  });

  it('agrees with a rational reference, and its shown points with its verdict (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.nat(),
        fc.nat(),
        fc.nat(1000),
        (jt, bt, js, bs, dropTenths) => {
          const j = js % (jt + 1);
          const b = bs % (bt + 1);
          const limit = d((dropTenths / 10).toFixed(1));
          const drop = checkDrop(c(j, jt), c(b, bt), limit);
          // points·jt·bt·10 = 1000 (b·jt − j·bt) against dropTenths·jt·bt
          const lhs = 1000n * (BigInt(b) * BigInt(jt) - BigInt(j) * BigInt(bt));
          expect(drop.fails).toBe(lhs > BigInt(dropTenths) * BigInt(jt) * BigInt(bt));
          if (drop.below) {
            expect(drop.points).toMatch(/^\d+(\.\d*[1-9])?$/);
            const shown = Number(drop.points);
            expect(drop.fails ? shown > dropTenths / 10 : shown <= dropTenths / 10).toBe(true);
          }
        }
      )
    );
  });
});
