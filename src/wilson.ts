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
import type { Threshold } from './rate.js';
import { fixedText } from './shown.js';
import type { Counts } from './window.js';

/** The confidence levels offered, in percent. */
export const CONFIDENCES = ['80', '90', '95', '98', '99'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** z = Φ⁻¹(1 - (1 - c) / 2) for each level, times 10^20, rounded (computed with mpmath at 60 digits). */
const Z: Record<Confidence, bigint> = {
  '80': 128155156554460046697n,
  '90': 164485362695147271486n,
  '95': 195996398454005423552n,
  '98': 232634787404084110089n,
  '99': 257582930354890076098n
};
const Z_UNIT = 10n ** 20n;

/**
 * Where the threshold lies against the interval. `below`: the whole interval is below it (the
 * shortfall is significant). `above`: the interval lies wholly at or above it. `straddles`: the
 * threshold is inside the interval, neither proven.
 */
export type Position = 'below' | 'above' | 'straddles';

export interface Interval {
  readonly confidence: Confidence;
  readonly position: Position;
  /** The bounds in percent, rounded outwards, with as many decimals (at least one) as it takes to agree with `position`. */
  readonly low: string;
  readonly high: string;
}

/** The interval of `counts` (total > 0) at `confidence`, and the threshold's place against it. */
export function wilson(counts: Counts, threshold: Threshold, confidence: Confidence): Interval {
  const x = BigInt(counts.completed);
  const n = BigInt(counts.total);
  const z2 = Z[confidence] ** 2n; // z^2 = z2 / U with U = 10^40
  const U = Z_UNIT ** 2n;
  const t = threshold.scaled;
  const M = 100n * 10n ** BigInt(threshold.decimals); // T = t / M
  // g(T) M^2 U = U (n t - x M)^2 - n z2 t (M - t)
  const g = U * (n * t - x * M) ** 2n - n * z2 * t * (M - t);
  // The vertex of g: T <= (2x + z^2) / (2 (n + z^2)), times 2 M U (n + z^2).
  const leftOfVertex = 2n * t * (n * U + z2) <= M * (2n * x * U + z2);
  const position: Position = g > 0n && !leftOfVertex ? 'below' : g >= 0n && leftOfVertex ? 'above' : 'straddles';
  const bound = roots(x, n, z2, U);
  // Nearest at one decimal when that agrees with the position, else rounded outwards with as
  // many decimals as it takes: a shown bound never puts the threshold on the wrong side.
  for (let digits = 1; ; digits++) {
    const round = digits === 1 ? 'half' : 'out';
    const low = bound(digits, 'low', round);
    const high = bound(digits, 'high', round);
    const lowVsT = compare(low, digits, threshold);
    const highVsT = compare(high, digits, threshold);
    const agrees = position === 'below' ? highVsT < 0 : position === 'above' ? lowVsT >= 0 : lowVsT < 0 && highVsT >= 0;
    if (agrees || digits >= 40) {
      return { confidence, position, low: fixedText(low, digits), high: fixedText(high, digits) };
    }
  }
}

/**
 * The roots of n (n U + z2) p^2 - n (2 x U + z2) p + x^2 U in percent scaled by 10^digits:
 * (B ± √D) S / E. Exact: with m an integer and E positive, floor((m - √q) / E) is
 * floor((m - ceil(√q)) / E) and ceil((m + √q) / E) is ceil((m + ceil(√q)) / E); the nearest
 * is floor((2m + E ± √(4q)) / 2E).
 */
function roots(
  x: bigint,
  n: bigint,
  z2: bigint,
  U: bigint
): (digits: number, which: 'low' | 'high', round: 'half' | 'out') => bigint {
  const A = n * (n * U + z2);
  const B = n * (2n * x * U + z2);
  const D = B * B - 4n * A * x * x * U;
  return (digits, which, round) => {
    const S = 100n * 10n ** BigInt(digits);
    const E = 2n * A;
    const sign = which === 'low' ? -1n : 1n;
    if (round === 'half') return floorDiv(2n * B * S + E + sign * sqrt(4n * D * S * S, sign < 0n), 2n * E);
    return which === 'low' ? floorDiv(B * S - sqrt(D * S * S, true), E) : ceilDiv(B * S + sqrt(D * S * S, true), E);
  };
}

/** √v rounded up or down to an integer. */
function sqrt(v: bigint, up: boolean): bigint {
  const root = isqrt(v);
  return up && root * root !== v ? root + 1n : root;
}

/** -1, 0 or 1 as `scaled / 10^digits` percent is below, at or above the threshold. */
function compare(scaled: bigint, digits: number, threshold: Threshold): number {
  const left = scaled * 10n ** BigInt(threshold.decimals);
  const right = threshold.scaled * 10n ** BigInt(digits);
  return left < right ? -1 : left > right ? 1 : 0;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return -floorDiv(-a, b);
}

/** The integer square root: the largest r with r² <= v (v >= 0). */
export function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  // Newton's method from above, starting at a power of two not below √v.
  let r = 1n << BigInt(Math.ceil(v.toString(2).length / 2));
  for (;;) {
    const next = (r + v / r) >> 1n;
    if (next >= r) return r;
    r = next;
  }
}
