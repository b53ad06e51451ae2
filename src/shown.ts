/**
 * Exact decimals for numbers shown beside a verdict. A number a person reads must never
 * contradict the verdict it explains, so where two decimals would, more are shown.
 */
import type { Threshold } from './rate.js';

/** `scaled / 10^digits` as text, without trailing zeros: 9750n, 2 gives `97.5`. */
export function decimalText(scaled: bigint, digits: number): string {
  const negative = scaled < 0n;
  const value = negative ? -scaled : scaled;
  const unit = 10n ** BigInt(digits);
  const whole = value / unit;
  const fraction = digits === 0 ? '' : (value % unit).toString().padStart(digits, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** `scaled / 10^digits` with exactly `digits` decimals: 750n, 1 gives `75.0`. */
export function fixedText(scaled: bigint, digits: number): string {
  const text = (scaled < 0n ? -scaled : scaled).toString().padStart(digits + 1, '0');
  const sign = scaled < 0n ? '-' : '';
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** `num / den` (both non-negative, den positive) scaled by 10^digits, rounded as asked. */
export function scaledTo(num: bigint, den: bigint, digits: number, round: 'floor' | 'ceil' | 'half'): bigint {
  const n = num * 10n ** BigInt(digits);
  if (round === 'floor') return n / den;
  if (round === 'ceil') return (n + den - 1n) / den;
  return (2n * n + den) / (2n * den);
}

/** True when `scaled / 10^digits` is above the limit. */
function above(scaled: bigint, digits: number, limit: Threshold): boolean {
  return scaled * 10n ** BigInt(limit.decimals) > limit.scaled * 10n ** BigInt(digits);
}

/**
 * `num / den` (non-negative) with at most two decimals, or, where those would put it on the
 * wrong side of `limit`, truncated to as many as it takes, marked `…` when cut short.
 */
export function showAgainst(num: bigint, den: bigint, limit: Threshold): string {
  const isAbove = num * 10n ** BigInt(limit.decimals) > limit.scaled * den;
  const rounded = scaledTo(num, den, 2, 'half');
  if (above(rounded, 2, limit) === isAbove) return decimalText(rounded, 2);
  // Truncation never rises above the value, so it settles on the right side of the limit.
  for (let digits = Math.max(limit.decimals + 1, 3); ; digits++) {
    const cut = scaledTo(num, den, digits, 'floor');
    if (above(cut, digits, limit) === isAbove) {
      const exact = cut * den === num * 10n ** BigInt(digits);
      return `${decimalText(cut, digits)}${exact ? '' : '…'}`;
    }
  }
}
