/**
 * Exact decimals for numbers shown beside a verdict: rates, bounds and drops, never negative. A
 * number a person reads must never contradict the verdict it explains, so where two decimals
 * would, more are shown.
 */
import { decimalText, roundHalf, type Threshold } from '../values/percent.js';

/** True when `scaled / 10^digits` is above the limit. */
function above(scaled: bigint, digits: number, limit: Threshold): boolean {
  return scaled * 10n ** BigInt(limit.decimals) > limit.scaled * 10n ** BigInt(digits);
}

/**
 * `num / den` (non-negative) rounded half up to two decimals, or to as many more as it takes to
 * fall on the same side of `limit` as the exact value (above it, or at or below it), as rates are
 * shown beside a threshold. It ends: a value equal to the limit shows exactly once the digits
 * reach the limit's, and one apart from it separates once the rounding error is below the gap.
 */
export function showAgainst(num: bigint, den: bigint, limit: Threshold): string {
  const isAbove = num * 10n ** BigInt(limit.decimals) > limit.scaled * den;
  for (let digits = 2; ; digits++) {
    const shown = roundHalf(num, den, digits);
    if (above(shown, digits, limit) === isAbove) return decimalText(shown, digits);
  }
}
