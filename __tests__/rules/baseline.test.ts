import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkDrop } from '../../src/rules/baseline.js';
import { parseThreshold, type Threshold } from '../../src/values/percent.js';

const d = (text: string) => parseThreshold('max-drop', text);
const c = (completed: number, total: number) => ({ completed, total });
const drop = (judged: [number, number], baseline: [number, number], maxDrop: string, thresholds: Threshold[] = []) =>
  checkDrop(c(...judged), c(...baseline), d(maxDrop), thresholds);

describe('checkDrop', () => {
  it('passes exactly max-drop below the baseline and fails beyond it', () => {
    expect(drop([94, 100], [99, 100], '5')).toEqual({ fails: false, rate: '94', baselineRate: '99', points: '' });
    expect(drop([93, 100], [99, 100], '5')).toEqual({ fails: true, rate: '93', baselineRate: '99', points: '6' });
  });

  it('compares fractions exactly where floats would not', () => {
    // 99/100 - 2/3 is 32.333… points: 32.33 is exceeded, 32.34 is not.
    expect(drop([2, 3], [99, 100], '32.33').fails).toBe(true);
    expect(drop([2, 3], [99, 100], '32.34').fails).toBe(false);
    // 0.3 - 0.1 is 0.19999… in floats; here it is 20 points exactly.
    expect(drop([1, 10], [3, 10], '20').fails).toBe(false);
  });

  it('shows both rates at the decimals that keep their difference on the verdict’s side', () => {
    // 91.665 against 96.67: a drop of 5.005, beyond 5. At two decimals 96.67 - 91.67 reads 5.00.
    expect(drop([18_333, 20_000], [9667, 10_000], '5')).toEqual({
      fails: true,
      rate: '91.665',
      baselineRate: '96.67',
      points: '5.005'
    });
    // 99.999 - 95.003 = 4.996 points, within max-drop 4.997: at two decimals it would read 5.
    expect(drop([95_003, 100_000], [99_999, 100_000], '4.997')).toEqual({
      fails: false,
      rate: '95.003',
      baselineRate: '99.999',
      points: ''
    });
    // Where two decimals agree with the verdict, two decimals it is.
    expect(drop([95_003, 100_000], [99, 100], '3.9')).toEqual({
      fails: true,
      rate: '95',
      baselineRate: '99',
      points: '4'
    });
    // 5.0004 points against max-drop 5: 94.9996 shown as 95 would read as exactly 5.
    expect(drop([949_996, 1_000_000], [1, 1], '5')).toEqual({
      fails: true,
      rate: '94.9996',
      baselineRate: '100',
      points: '5.0004'
    });
    // 5.000666… points: rounded, as rates are (94.999 would read as within).
    expect(drop([284_998, 300_000], [1, 1], '5')).toMatchObject({ rate: '94.999', points: '5.001' });
  });

  it('shows the judged rate against its thresholds, and both rates never as 100 or 0 when they are not', () => {
    // 94.995 passes threshold 90 and misses warn-below 95: 95 would read as meeting it.
    const t = (text: string) => parseThreshold('threshold', text);
    expect(drop([18_999, 20_000], [19, 20], '10', [t('90'), t('95')])).toMatchObject({
      rate: '94.995',
      baselineRate: '95'
    });
    expect(drop([18_999, 20_000], [19, 20], '10').rate).toBe('95');
    // A baseline short of 100 never reads 100, a rate above 0 never reads 0.
    expect(drop([1, 100_000], [99_999, 100_000], '100')).toMatchObject({ rate: '0.001', baselineRate: '99.999' });
  });

  it('never fails a rate at or above the baseline', () => {
    expect(drop([100, 100], [90, 100], '0')).toEqual({ fails: false, rate: '100', baselineRate: '90', points: '' });
    // Level with the baseline is not below it.
    expect(drop([9, 10], [90, 100], '0')).toMatchObject({ fails: false, rate: '90', baselineRate: '90' });
  });

  it('agrees with a rational reference, and the shown rates with the verdict (property)', () => {
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
          const result = drop([j, jt], [b, bt], (dropTenths / 10).toFixed(1));
          // points·jt·bt·10 = 1000 (b·jt − j·bt) against dropTenths·jt·bt
          const lhs = 1000n * (BigInt(b) * BigInt(jt) - BigInt(j) * BigInt(bt));
          expect(result.fails).toBe(lhs > BigInt(dropTenths) * BigInt(jt) * BigInt(bt));
          // The shown rates, subtracted exactly, give the verdict and the points shown.
          const decimals = (text: string) => text.split('.')[1]?.length ?? 0;
          const digits = Math.max(decimals(result.rate), decimals(result.baselineRate), 2);
          const scaled = (text: string) => BigInt(Number(text).toFixed(digits).replace('.', ''));
          const shownDrop = scaled(result.baselineRate) - scaled(result.rate);
          expect(shownDrop * 10n > BigInt(dropTenths) * 10n ** BigInt(digits)).toBe(result.fails);
          if (result.fails) expect(scaled(result.points)).toBe(shownDrop);
          else expect(result.points).toBe('');
        }
      )
    );
  });
});
