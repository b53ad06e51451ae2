/**
 * Exact completion-rate arithmetic. Rates and thresholds are compared as fractions of integers
 * (BigInt), never as floating point: 29 of 100 meets `29`, 2 of 3 misses `66.67`.
 */
import { decimalText, roundHalf } from './shown.js';

/** A threshold in percent, held exactly as `numerator / 10^decimals`. */
export interface Threshold {
  /** The percentage scaled by 10^decimals: 92.5 is 925n with decimals 1. */
  readonly scaled: bigint;
  /** How many decimal places the user wrote. */
  readonly decimals: number;
  /** The canonical text, without trailing zeros or `%`: `92.5`, `100`. */
  readonly text: string;
}

const MAX_DECIMALS = 10;

/** Parses `95`, `95%`, `92.5` into an exact threshold in [0, 100]; throws naming `input`. */
export function parseThreshold(input: string, text: string): Threshold {
  const match = /^(\d{1,3})(?:\.(\d+))?\s*%?$/.exec(text.trim());
  const expected = `expected a percentage from 0 to 100 such as 95, 95% or 92.5`;
  if (match === null) throw new Error(`Input '${input}' is ${JSON.stringify(text)}: ${expected}.`);
  // Stryker disable next-line StringLiteral: group 1 takes part in every match; the default only satisfies the type.
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > MAX_DECIMALS) {
    throw new Error(
      `Input '${input}' is ${JSON.stringify(text)}: at most ${MAX_DECIMALS} decimal places are supported.`
    );
  }
  const scaled = BigInt(whole + fraction);
  const decimals = fraction.length;
  if (scaled > 100n * 10n ** BigInt(decimals)) {
    throw new Error(`Input '${input}' is ${JSON.stringify(text)}, which is above 100: ${expected}.`);
  }
  const canonical = `${BigInt(whole)}${fraction === '' ? '' : `.${fraction}`}`;
  return { scaled, decimals, text: canonical };
}

/** True when the threshold looks like a fraction (0.95) where a percentage (95) was likely meant. */
export function looksLikeFraction(threshold: Threshold): boolean {
  const unit = 10n ** BigInt(threshold.decimals);
  return threshold.scaled > 0n && threshold.scaled < unit;
}

/** Decides `completed / total >= threshold / 100` exactly. `total` must be positive. */
export function meetsThreshold(completed: number, total: number, threshold: Threshold): boolean {
  const unit = 10n ** BigInt(threshold.decimals);
  return BigInt(completed) * 100n * unit >= threshold.scaled * BigInt(total);
}

/**
 * The rate in percent with two decimals, rounded half up, without trailing zeros (`92`, `66.67`):
 * for charts, where a point need not settle a verdict. Text a person reads uses formatRateAgainst.
 */
export function formatRate(completed: number, total: number): string {
  return decimalText(roundHalf(100n * BigInt(completed), BigInt(total), 2), 2);
}

/**
 * The rate in percent as people see it next to a verdict: rounded half up to two decimals, or to
 * as many more as it takes for the shown number to compare with `threshold` the way the exact
 * verdict did (18999 of 20000 against 95 shows `94.995`, not `95`), and never `100` for a rate
 * short of it or `0` for one above it. `total` must be positive.
 *
 * It ends: a rate equal to the threshold shows exactly once the digits reach the threshold's, and
 * one apart from it (by at least 1 / (total × 10^decimals)) or from 0 or 100 separates once the
 * rounding error falls below that gap.
 */
export function formatRateAgainst(completed: number, total: number, threshold: Threshold): string {
  const c = BigInt(completed);
  const t = BigInt(total);
  const meets = meetsThreshold(completed, total, threshold);
  const thresholdUnit = 10n ** BigInt(threshold.decimals);
  for (let digits = 2; ; digits++) {
    const unit = 10n ** BigInt(digits);
    const shown = roundHalf(100n * c, t, digits);
    if ((shown === 100n * unit && c < t) || (shown === 0n && c > 0n)) continue;
    if (shown * thresholdUnit >= threshold.scaled * unit === meets) return decimalText(shown, digits);
  }
}
