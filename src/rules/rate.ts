/**
 * Exact completion-rate arithmetic. Rates and thresholds are compared as fractions of integers
 * (BigInt), never as floating point: 29 of 100 meets `29`, 2 of 3 misses `66.67`.
 */
import { decimalText, roundHalf, type Threshold } from '../values/percent.js';

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
