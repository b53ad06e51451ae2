/**
 * Exact decimals for numbers shown beside a verdict: rates, bounds and drops, never negative. A
 * number a person reads must never contradict the verdict it explains, so where two decimals
 * would, more are shown.
 */
import type { Threshold } from './rate.js';

/** `scaled / 10^digits` (non-negative) as text, without trailing zeros: 9750n, 2 gives `97.5`. */
export function decimalText(scaled: bigint, digits: number): string {
  const unit = 10n ** BigInt(digits);
  const fraction = (scaled % unit).toString().padStart(digits, '0').replace(/0+$/, '');
  return fraction === '' ? `${scaled / unit}` : `${scaled / unit}.${fraction}`;
}

/** `scaled / 10^digits` (non-negative) with exactly `digits` decimals: 750n, 1 gives `75.0`. */
export function fixedText(scaled: bigint, digits: number): string {
  const text = scaled.toString().padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** `num / den` (num non-negative, den positive) scaled by 10^digits, rounded half up. */
export function roundHalf(num: bigint, den: bigint, digits: number): bigint {
  return (2n * num * 10n ** BigInt(digits) + den) / (2n * den);
}

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
