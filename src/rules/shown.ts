/**
 * Exact decimals for numbers shown beside a verdict: rates, bounds and drops, never negative. A
 * number a person reads must never contradict a rule that compared it, so where two decimals
 * would, more are shown.
 */
import { decimalText, roundHalf } from '../values/percent.js';

/**
 * A bound a shown number was compared with, held exactly like a threshold (`scaled / 10^decimals`).
 * The rule asks whether the number is at or above it, or with `strict`, whether it is above it.
 */
export interface Limit {
  readonly scaled: bigint;
  readonly decimals: number;
  readonly strict?: boolean;
}

/** Which side of `limit` the non-negative `num / den` is on: true for at or above (above, when strict). */
function side(num: bigint, den: bigint, limit: Limit): boolean {
  const value = num * 10n ** BigInt(limit.decimals);
  const bound = limit.scaled * den;
  return limit.strict === true ? value > bound : value >= bound;
}

/**
 * True when `num / den` (non-negative) rounded half up to `digits` decimals falls on the same
 * side of every limit as the exact value.
 */
export function agreesAt(num: bigint, den: bigint, digits: number, limits: readonly Limit[]): boolean {
  const shown = roundHalf(num, den, digits);
  return limits.every((limit) => side(shown, 10n ** BigInt(digits), limit) === side(num, den, limit));
}

/**
 * The fewest decimals, two or more, at which `fits` holds. The callers' tests hold at every number
 * of digits past some point, so it ends: a value equal to a limit shows exactly once the digits
 * reach the limit's, and one apart from it separates once the rounding error is below the gap.
 */
export function fewestDigits(fits: (digits: number) => boolean): number {
  let digits = 2;
  while (!fits(digits)) digits++;
  return digits;
}

/**
 * `num / den` (non-negative) rounded half up to two decimals, or to as many more as it takes to
 * fall on the same side of every limit it was compared with as the exact value.
 */
export function showAgainst(num: bigint, den: bigint, limits: readonly Limit[]): string {
  const digits = fewestDigits((d) => agreesAt(num, den, d, limits));
  return decimalText(roundHalf(num, den, digits), digits);
}
