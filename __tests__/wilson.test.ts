import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseThreshold } from '../src/rate.js';
import { CONFIDENCES, isqrt, wilson, type Confidence } from '../src/wilson.js';

const t = (text: string) => parseThreshold('threshold', text);
const c = (completed: number, total: number) => ({ completed, total });
const Z: Record<Confidence, number> = {
  '80': 1.2815515655446004,
  '90': 1.6448536269514722,
  '95': 1.959963984540054,
  '98': 2.3263478740408408,
  '99': 2.5758293035489004
};

/** The textbook formula in floating point, in percent: a reference away from the boundary. */
function reference(x: number, n: number, confidence: Confidence): { low: number; high: number } {
  const z = Z[confidence];
  const p = x / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const scale = 1 + (z * z) / n;
  return { low: (100 * (centre - spread)) / scale, high: (100 * (centre + spread)) / scale };
}

/** A threshold text with ten decimals, just below or just above `percent`. */
function near(percent: number, side: 'below' | 'above'): string {
  const scaled = side === 'below' ? Math.floor(percent * 1e10) : Math.ceil(percent * 1e10);
  return (scaled / 1e10).toFixed(10);
}

describe('wilson', () => {
  it("decides the issue's examples at 95% confidence", () => {
    expect(wilson(c(23, 25), t('95'), '95')).toEqual({
      confidence: '95',
      position: 'straddles',
      low: '75.0',
      high: '97.8'
    });
    expect(wilson(c(20, 25), t('95'), '95')).toMatchObject({ position: 'below', high: '91.1' });
    expect(wilson(c(230, 250), t('95'), '95')).toMatchObject({ position: 'below', high: '94.8' });
  });

  it('passes a rate whose interval lies wholly above the threshold', () => {
    expect(wilson(c(2490, 2500), t('95'), '95')).toMatchObject({ position: 'above' });
    expect(wilson(c(0, 25), t('0'), '99')).toMatchObject({ position: 'above', low: '0.0' });
  });

  it('cannot prove a perfect run meets 100%, nor an empty one misses 0%', () => {
    expect(wilson(c(25, 25), t('100'), '95')).toMatchObject({ position: 'straddles', high: '100.0' });
    expect(wilson(c(24, 25), t('100'), '80').position).toBe('below');
  });

  it('is exact on both sides of each bound', () => {
    for (const confidence of CONFIDENCES) {
      for (const [x, n] of [
        [23, 25],
        [20, 25],
        [1, 3],
        [97, 100],
        [9_990, 10_000]
      ] as const) {
        const { low, high } = reference(x, n, confidence);
        expect(wilson(c(x, n), t(near(high, 'above')), confidence).position).toBe('below');
        expect(wilson(c(x, n), t(near(high, 'below')), confidence).position).toBe('straddles');
        expect(wilson(c(x, n), t(near(low, 'above')), confidence).position).toBe('straddles');
        expect(wilson(c(x, n), t(near(low, 'below')), confidence).position).toBe('above');
      }
    }
  });

  it('shows bounds that agree with the decision, with the digits it takes', () => {
    const { high } = reference(23, 25, '95'); // 97.78…, which one decimal would round up to 97.8
    const just = near(high, 'above');
    const w = wilson(c(23, 25), t(just), '95');
    expect(w.position).toBe('below');
    expect(Number(w.high)).toBeLessThan(Number(just));
    expect(w.high.length).toBeGreaterThan(4);
  });

  it('agrees with the float formula away from the bounds, and its text with its position (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.nat(),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom(...CONFIDENCES),
        (n, xs, hundredths, confidence) => {
          const x = xs % (n + 1);
          const threshold = t((hundredths / 100).toFixed(2));
          const T = hundredths / 100;
          const w = wilson(c(x, n), threshold, confidence);
          const { low, high } = reference(x, n, confidence);
          if (high < T - 1e-6) expect(w.position).toBe('below');
          else if (low > T + 1e-6) expect(w.position).toBe('above');
          else if (low < T - 1e-6 && high > T + 1e-6) expect(w.position).toBe('straddles');
          const [lo, hi] = [Number(w.low), Number(w.high)];
          if (w.position === 'below') expect(hi).toBeLessThan(T);
          if (w.position === 'above') expect(lo).toBeGreaterThanOrEqual(T);
          if (w.position === 'straddles') expect(lo < T && hi >= T).toBe(true);
          expect(lo).toBeLessThanOrEqual(hi);
        }
      )
    );
  });
});

describe('isqrt', () => {
  it('is the floor of the square root (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 80n }), (v) => {
        const r = isqrt(v);
        expect(r * r <= v && (r + 1n) * (r + 1n) > v).toBe(true);
      })
    );
  });
});
