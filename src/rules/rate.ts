/**
 * Exact completion-rate arithmetic. Rates and thresholds are compared as fractions of integers
 * (BigInt), never as floating point: 29 of 100 meets `29`, 2 of 3 misses `66.67`.
 */
import { decimalText, roundHalf, type Threshold } from '../values/percent.js';
import { showAgainst, type Limit } from './shown.js';

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

/** Every rate is read against these too: 100 only when every task completed, 0 only when none did. */
const EDGES: readonly Limit[] = [
  { scaled: 100n, decimals: 0 },
  { scaled: 0n, decimals: 0, strict: true }
];

/** The limits a rate is shown against: the thresholds it was compared with (at or above), and the edges. */
export function rateLimits(thresholds: readonly Limit[]): Limit[] {
  return [...thresholds, ...EDGES];
}

/**
 * The rate in percent as people see it next to a verdict: rounded half up to two decimals, or to
 * as many more as it takes for the shown number to compare with every threshold it was compared
 * with (the threshold, warn-below) the way the exact rate does (18999 of 20000 against 95 shows
 * `94.995`, not `95`), and never `100` for a rate short of it or `0` for one above it. `total`
 * must be positive.
 */
export function formatRateAgainst(completed: number, total: number, thresholds: readonly Limit[]): string {
  return showAgainst(100n * BigInt(completed), BigInt(total), rateLimits(thresholds));
}
