import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseThreshold } from '../../src/values/percent.js';
import { callsNeeded, isqrt, roots, wilson, Z, Z_UNIT } from '../../src/rules/wilson.js';
import { CONFIDENCES, type Confidence } from '../../src/values/percent.js';

const t = (text: string) => parseThreshold('threshold', text);
const c = (completed: number, total: number) => ({ completed, total });
const Z_FLOAT: Record<Confidence, number> = {
  '80': 1.2815515655446004,
  '90': 1.6448536269514722,
  '95': 1.959963984540054,
  '98': 2.3263478740408408,
  '99': 2.5758293035489004
};

/** The textbook formula in floating point, in percent: a reference away from the boundary. */
function reference(x: number, n: number, confidence: Confidence): { low: number; high: number } {
  const z = Z_FLOAT[confidence];
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

/**
 * An oracle for the roots with no square root in it: p <= a root is decided by the sign of the
 * quadratic A p^2 - B p + C at p and by p's side of the vertex, and floor(root * scale) is found
 * by bisection on that test.
 */
function oracle(x: bigint, n: bigint, z2: bigint, U: bigint) {
  const A = n * (n * U + z2);
  const B = n * (2n * x * U + z2);
  const C = x * x * U;
  /** k / scale <= the root (as a fraction of 1). */
  const atOrBelow = (which: 'low' | 'high', k: bigint, scale: bigint): boolean => {
    const q = A * k * k - B * k * scale + C * scale * scale;
    const leftOfVertex = 2n * A * k <= B * scale;
    return which === 'low' ? q >= 0n && leftOfVertex : q <= 0n || leftOfVertex;
  };
  const floorAt = (which: 'low' | 'high', scale: bigint): bigint => {
    let [lo, hi] = [0n, scale]; // the roots lie in [0, 1]
    while (lo < hi) {
      const mid = (lo + hi + 1n) / 2n;
      if (atOrBelow(which, mid, scale)) lo = mid;
      else hi = mid - 1n;
    }
    return lo;
  };
  const rounded = (digits: number, which: 'low' | 'high', round: 'half' | 'out'): bigint => {
    const S = 100n * 10n ** BigInt(digits);
    // Nearest, ties up: floor(r S + 1/2) = floor((floor(2 r S) + 1) / 2).
    if (round === 'half') return (floorAt(which, 2n * S) + 1n) / 2n;
    const floor = floorAt(which, S);
    // Up for the high root, unless floor / S is that root.
    return which === 'low' || atOrAbove(floor, S) ? floor : floor + 1n;
  };
  return Object.assign(rounded, { atOrBelow });
  /** k / scale >= the high root. */
  function atOrAbove(k: bigint, scale: bigint): boolean {
    return A * k * k - B * k * scale + C * scale * scale >= 0n && 2n * A * k >= B * scale;
  }
}

describe('Z', () => {
  it('is the normal quantile of each level to the digits a float holds', () => {
    for (const confidence of CONFIDENCES) {
      expect(Number(Z[confidence]) / Number(Z_UNIT)).toBeCloseTo(Z_FLOAT[confidence], 14);
    }
  });
});

describe('roots', () => {
  it('rounds each root to nearest and outwards exactly, on and next to every boundary (property)', () => {
    // Small z2 and U put roots on a rounding boundary, or within one unit of the square root
    // of one, often: the cases a real z almost never meets.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.nat(),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 2 }),
        (total, xs, z2, U, digits) => {
          const n = BigInt(total);
          const x = BigInt(xs % (total + 1));
          const got = roots(x, n, BigInt(z2), BigInt(U));
          const want = oracle(x, n, BigInt(z2), BigInt(U));
          for (const which of ['low', 'high'] as const) {
            for (const round of ['half', 'out'] as const) {
              expect([which, round, got(digits, which, round)]).toEqual([which, round, want(digits, which, round)]);
            }
          }
        }
      ),
      { numRuns: 500 }
    );
  });

  it('rounds each root exactly for every small case', () => {
    // Where E = 2 n (n U + z2) is small, the one-unit difference between √ rounded up and down
    // decides the nearest often: every x of n <= 6 at z^2 = z2 / U for z2 <= 24, U <= 3.
    let checked = 0;
    for (let n = 1n; n <= 6n; n++) {
      for (let x = 0n; x <= n; x++) {
        for (let z2 = 0n; z2 <= 24n; z2++) {
          for (let U = 1n; U <= 3n; U++) {
            const [got, want] = [roots(x, n, z2, U), oracle(x, n, z2, U)];
            for (const digits of [0, 1, 2]) {
              for (const which of ['low', 'high'] as const) {
                for (const round of ['half', 'out'] as const) {
                  if (got(digits, which, round) !== want(digits, which, round)) {
                    expect({ x, n, z2, U, digits, which, round, got: got(digits, which, round) }).toEqual({
                      x,
                      n,
                      z2,
                      U,
                      digits,
                      which,
                      round,
                      got: want(digits, which, round)
                    });
                  }
                  checked++;
                }
              }
            }
          }
        }
      }
    }
    expect(checked).toBe(27 * 25 * 3 * 12);
  });

  it('is exact where the roots are rational: x of n at z^2 = 0 is x/n itself', () => {
    // 1/8 = 12.5 %: a tie at one decimal rounds up, and outwards rounding changes nothing.
    const r = roots(1n, 8n, 0n, 1n);
    expect([r(0, 'low', 'half'), r(0, 'high', 'half'), r(1, 'low', 'out'), r(1, 'high', 'out')]).toEqual([
      13n,
      13n,
      125n,
      125n
    ]);
    // 1/3 = 33.33… %: nearest is 33.3 for both, outwards 33.3 and 33.4.
    const third = roots(1n, 3n, 0n, 1n);
    expect([
      third(1, 'low', 'half'),
      third(1, 'high', 'half'),
      third(1, 'low', 'out'),
      third(1, 'high', 'out')
    ]).toEqual([333n, 333n, 333n, 334n]);
  });
});

describe('the bounds shown', () => {
  /** What the bounds should read: nearest at one decimal if that agrees, else outwards with the fewest decimals that agree. */
  function expected(x: number, n: number, threshold: string, confidence: Confidence) {
    const T = t(threshold);
    const M = 100n * 10n ** BigInt(T.decimals);
    const o = oracle(BigInt(x), BigInt(n), Z[confidence] ** 2n, Z_UNIT ** 2n);
    const position = !o.atOrBelow('high', T.scaled, M)
      ? 'below'
      : o.atOrBelow('low', T.scaled, M)
        ? 'above'
        : 'straddles';
    const vsT = (scaled: bigint, digits: number) =>
      Math.sign(Number(scaled * 10n ** BigInt(T.decimals) - T.scaled * 10n ** BigInt(digits)));
    for (let digits = 1; digits < 60; digits++) {
      const round = digits === 1 ? 'half' : 'out';
      const [low, high] = [o(digits, 'low', round), o(digits, 'high', round)];
      const agrees = {
        below: vsT(high, digits) < 0,
        above: vsT(low, digits) >= 0,
        straddles: vsT(low, digits) < 0 && vsT(high, digits) >= 0
      }[position];
      const text = (v: bigint) =>
        `${v / 10n ** BigInt(digits)}.${(v % 10n ** BigInt(digits)).toString().padStart(digits, '0')}`;
      if (agrees) return { confidence, position, low: text(low), high: text(high) };
    }
    throw new Error('no agreement in 60 digits');
  }

  it('read as the rule says, next to the bounds and away from them (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.nat(),
        fc.constantFrom(...CONFIDENCES),
        fc.oneof(
          fc.integer({ min: 0, max: 10_000 }).map((h) => (h / 100).toFixed(2)),
          // A bound's own nearest tenth: one decimal would show the threshold itself.
          fc.constantFrom('low', 'high').map((which) => ({ which, side: 'tenth' }) as const),
          fc
            .constantFrom('low', 'high')
            .chain((which) => fc.constantFrom('below', 'above').map((side) => ({ which, side }) as const))
        ),
        (n, xs, confidence, pick) => {
          const x = xs % (n + 1);
          // Float error can put a bound of 0 at -4e-17, whose tenth reads "-0.0": clamp to the true range.
          const bound =
            typeof pick === 'string' ? 0 : Math.min(100, Math.max(0, reference(x, n, confidence)[pick.which]));
          const threshold =
            typeof pick === 'string' ? pick : pick.side === 'tenth' ? bound.toFixed(1) : near(bound, pick.side);
          if (Number(threshold) < 0 || Number(threshold) > 100) return;
          expect(wilson(c(x, n), t(threshold), confidence)).toEqual(expected(x, n, threshold, confidence));
        }
      ),
      { numRuns: 400 }
    );
  });
});

describe('isqrt', () => {
  it('is the floor of the square root of every small number', () => {
    const wrong: bigint[] = [];
    for (let v = 0n; v <= 5000n; v++) {
      const r = isqrt(v);
      if (!(r * r <= v && (r + 1n) * (r + 1n) > v)) wrong.push(v);
    }
    expect(wrong).toEqual([]);
  });

  it('is the floor of the square root (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 80n }), fc.integer({ min: -1, max: 1 }), (v, step) => {
        // Next to a perfect square as often as anywhere else.
        const w = v * v + BigInt(step) < 0n ? 0n : v * v + BigInt(step);
        for (const u of [v, w]) {
          const r = isqrt(u);
          expect(r * r <= u && (r + 1n) * (r + 1n) > u).toBe(true);
        }
      })
    );
  });
});

describe('callsNeeded', () => {
  it("is 73 calls at 95% against 95%, the issue's example", () => {
    expect(callsNeeded(t('95'), '95')).toBe(73);
    expect(wilson(c(73, 73), t('95'), '95').position).toBe('above');
    expect(wilson(c(72, 72), t('95'), '95').position).toBe('straddles');
  });

  it('is the fewest calls whose perfect run lies wholly at or above the threshold, for every level', () => {
    for (const confidence of CONFIDENCES) {
      for (const text of ['0', '50', '80', '90', '92.5', '95', '98', '99', '99.5']) {
        const n = callsNeeded(t(text), confidence)!;
        expect(wilson(c(n, n), t(text), confidence).position).toBe('above');
        if (n > 1) expect(wilson(c(n - 1, n - 1), t(text), confidence).position).not.toBe('above');
      }
    }
  });

  it('is none at 100%, which no count proves, and 1 at 0%', () => {
    expect(callsNeeded(t('100'), '80')).toBeUndefined();
    expect(callsNeeded(t('0'), '99')).toBe(1);
  });

  it('agrees with the float formula z² t / (100 - t), rounded up, away from integers (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.constantFrom(...CONFIDENCES), (hundredths, confidence) => {
        const exact = (Z_FLOAT[confidence] ** 2 * hundredths) / (10000 - hundredths);
        fc.pre(Math.abs(exact - Math.round(exact)) > 1e-6);
        const threshold = t((hundredths / 100).toFixed(2));
        expect(callsNeeded(threshold, confidence)).toBe(Math.max(1, Math.ceil(exact)));
      })
    );
  });
});
