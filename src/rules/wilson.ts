/**
 * The confidence rule: the two-sided Wilson score interval for a completion rate, and where a
 * threshold lies against it. Decided exactly, without floating point.
 *
 * The Wilson interval for x completed of n at quantile z is the set of rates p with
 * n (x/n - p)^2 <= z^2 p (1 - p). Multiplying out, g(p) = (n p - x)^2 - n z^2 p (1 - p) <= 0, a
 * convex quadratic with roots `low` and `high`. For a threshold T = t / M, g(T) and the vertex
 * test are sums of integer products once z^2 is a fraction, so the decision is a comparison of
 * BigInts. z is the standard normal quantile rounded to 20 decimals (Z / 10^20); the decisions
 * are exact for that z, whose error (under 5e-21) is far below anything counts can resolve.
 */
import { fixedText, type Confidence, type Threshold } from '../values/percent.js';
import type { Counts } from './window.js';

/** z = Φ⁻¹(1 - (1 - c) / 2) for each level, times 10^20, rounded (computed with mpmath at 60 digits). */
export const Z: Record<Confidence, bigint> = {
  '80': 128155156554460046697n,
  '90': 164485362695147271486n,
  '95': 195996398454005423552n,
  '98': 232634787404084110089n,
  '99': 257582930354890076098n
};
export const Z_UNIT = 10n ** 20n;

/**
 * Where the threshold lies against the interval. `below`: the whole interval is below it (the
 * shortfall is significant). `above`: the interval lies wholly at or above it. `straddles`: the
 * threshold is inside the interval, neither proven.
 */
export type Position = 'below' | 'above' | 'straddles';

export interface Interval {
  readonly confidence: Confidence;
  readonly position: Position;
  /**
   * The bounds in percent: to one decimal, rounded to nearest, when that agrees with `position`;
   * else rounded outwards with as many more decimals as it takes to agree.
   */
  readonly low: string;
  readonly high: string;
}

/** The interval of `counts` (total > 0) at `confidence`, and the threshold's place against it. */
export function wilson(counts: Counts, threshold: Threshold, confidence: Confidence): Interval {
  const x = BigInt(counts.completed);
  const n = BigInt(counts.total);
  const position = positionOf(x, n, threshold, confidence);
  const bound = roots(x, n, Z[confidence] ** 2n, Z_UNIT ** 2n);
  // Nearest at one decimal when that agrees with the position, else rounded outwards with as
  // many decimals as it takes: a shown bound never puts the threshold on the wrong side. The
  // loop ends: a straddled threshold agrees at two decimals (outward rounding keeps low <= the
  // root < T <= the root <= high), and a bound strictly on one side of T comes within 10^-digits
  // of its root, closer than its distance from T, once digits is large enough.
  for (let digits = 1; ; digits++) {
    const round = digits === 1 ? 'half' : 'out';
    const low = bound(digits, 'low', round);
    const high = bound(digits, 'high', round);
    const agrees =
      position === 'below'
        ? below(high, digits, threshold)
        : position === 'above'
          ? !below(low, digits, threshold)
          : below(low, digits, threshold) && !below(high, digits, threshold);
    if (agrees) return { confidence, position, low: fixedText(low, digits), high: fixedText(high, digits) };
  }
}

/** Where the threshold lies against the interval of x of n (0 <= x <= n, n > 0): the one integer decision. */
function positionOf(x: bigint, n: bigint, threshold: Threshold, confidence: Confidence): Position {
  const z2 = Z[confidence] ** 2n; // z^2 = z2 / U with U = 10^40
  const U = Z_UNIT ** 2n;
  const t = threshold.scaled;
  const M = 100n * 10n ** BigInt(threshold.decimals); // T = t / M
  // g(T) M^2 U = U (n t - x M)^2 - n z2 t (M - t)
  const g = U * (n * t - x * M) ** 2n - n * z2 * t * (M - t);
  // The vertex of g: T <= (2x + z^2) / (2 (n + z^2)), times 2 M U (n + z^2).
  // Stryker disable next-line EqualityOperator: at the vertex g < 0 (the roots are apart for z > 0), so it straddles either way.
  const leftOfVertex = 2n * t * (n * U + z2) <= M * (2n * x * U + z2);
  return g > 0n && !leftOfVertex ? 'below' : g >= 0n && leftOfVertex ? 'above' : 'straddles';
}

/**
 * The fewest calls that, every one completed, prove the threshold at `confidence` (n of n lies
 * wholly at or above it); undefined at 100 %, which no count proves. With every call completed,
 * g(T) >= 0 reads n U (M - t) >= z2 t, so the answer is ceil(z2 t / (U (M - t))) (at least 1),
 * where the vertex test holds too; the loops only confirm it with positionOf, the decision the
 * rule makes: 73 calls at 95 % against 95 %.
 */
export function callsNeeded(threshold: Threshold, confidence: Confidence): number | undefined {
  const t = threshold.scaled;
  const M = 100n * 10n ** BigInt(threshold.decimals);
  if (t >= M) return undefined;
  const z2 = Z[confidence] ** 2n;
  const U = Z_UNIT ** 2n;
  let n = (z2 * t + U * (M - t) - 1n) / (U * (M - t));
  if (n < 1n) n = 1n;
  while (positionOf(n, n, threshold, confidence) !== 'above') n++;
  while (n > 1n && positionOf(n - 1n, n - 1n, threshold, confidence) === 'above') n--;
  return Number(n);
}

/**
 * The roots of A p^2 - B p + C with A = n (n U + z2), B = n (2 x U + z2), C = x^2 U: the Wilson
 * bounds of x of n (0 <= x <= n, n > 0) at z^2 = z2 / U, as fractions of 1. The result gives a
 * root in percent scaled by 10^digits, rounded to nearest (`half`, ties up) or outwards (`out`:
 * low down, high up). Exported for its tests, which use small z2 and U, where roots land on or
 * next to a rounding boundary often enough to check every rounding.
 *
 * Exact, with no negative operand: B^2 >= D = B^2 - 4 A C >= 0 and E = 2 A > 0, so with m = B S
 * an integer, floor((m - √q) / E) = floor((m - ceil(√q)) / E), ceil((m + √q) / E) =
 * ceil((m + ceil(√q)) / E), and the nearest is floor((2m + E ± √(4q)) / 2E), √(4q) rounded up
 * for the low root and down for the high.
 */
export function roots(
  x: bigint,
  n: bigint,
  z2: bigint,
  U: bigint
): (digits: number, which: 'low' | 'high', round: 'half' | 'out') => bigint {
  const A = n * (n * U + z2);
  const B = n * (2n * x * U + z2);
  const D = B * B - 4n * A * x * x * U;
  const E = 2n * A;
  return (digits, which, round) => {
    const S = 100n * 10n ** BigInt(digits);
    const low = which === 'low';
    if (round === 'half') {
      const q = 4n * D * S * S;
      return (2n * B * S + E + (low ? -isqrtUp(q) : isqrt(q))) / (2n * E);
    }
    const root = isqrtUp(D * S * S);
    return low ? (B * S - root) / E : (B * S + root + E - 1n) / E;
  };
}

/** True when `scaled / 10^digits` percent is below the threshold. */
function below(scaled: bigint, digits: number, threshold: Threshold): boolean {
  return scaled * 10n ** BigInt(threshold.decimals) < threshold.scaled * 10n ** BigInt(digits);
}

/** The smallest r with r² >= v (v >= 0). */
function isqrtUp(v: bigint): bigint {
  const root = isqrt(v);
  return root * root === v ? root : root + 1n;
}

/** The integer square root: the largest r with r² <= v (v >= 0). */
export function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  // Newton's method from above, starting at a power of two not below √v.
  // Stryker disable next-line ArithmeticOperator: any start at or above √v reaches the same root; a higher one takes more steps.
  let r = 1n << BigInt(Math.ceil(v.toString(2).length / 2));
  for (;;) {
    const next = (r + v / r) >> 1n;
    if (next >= r) return r;
    r = next;
  }
}
