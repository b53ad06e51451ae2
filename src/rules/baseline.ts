/**
 * The max-drop rule: the judged (pooled) rate may fall at most `max-drop` percentage points
 * below the baseline's pooled rate. Decided on integers: no float is ever compared.
 */
import { decimalText, roundHalf, type Threshold } from '../values/percent.js';
import { rateLimits } from './rate.js';
import { agreesAt, fewestDigits, type Limit } from './shown.js';
import type { Counts } from './window.js';

export interface Drop {
  /** The judged rate is more than max-drop points below the baseline. */
  readonly fails: boolean;
  /** The judged rate, shown (see checkDrop). */
  readonly rate: string;
  /** The baseline's rate, shown at the judged rate's decimals. */
  readonly baselineRate: string;
  /** When it fails, the shown baseline minus the shown rate (`9`, `5.005`); empty when it passes. */
  readonly points: string;
}

/**
 * Compares `judged` with `baseline` (both with a positive total). The drop in points is
 * 100 (b/B - j/J), so "more than d" is 100 (b J - j B) 10^k > s J B for d = s / 10^k.
 *
 * Both rates are shown at the same decimals, the fewest (two or more) at which the judged rate
 * agrees with `thresholds` (as formatRateAgainst) and the shown baseline minus the shown rate
 * falls on the verdict's side of max-drop: a later step that subtracts the two outputs reads
 * the verdict the gate gave (96.67 and 91.67 would read as a drop of 5.00, within max-drop 5, for
 * 5.005). At as many decimals as max-drop has, an exact drop of max-drop shows exactly, and any
 * other once the rounding errors (each under half a unit of the last digit) are below its gap.
 */
export function checkDrop(judged: Counts, baseline: Counts, maxDrop: Threshold, thresholds: readonly Limit[]): Drop {
  const j = BigInt(judged.completed);
  const jt = BigInt(judged.total);
  const b = BigInt(baseline.completed);
  const bt = BigInt(baseline.total);
  const gap = 100n * (b * jt - j * bt); // points × jt × bt
  const fails = gap * 10n ** BigInt(maxDrop.decimals) > maxDrop.scaled * jt * bt;
  const shown = (digits: number) => ({ rate: roundHalf(100n * j, jt, digits), base: roundHalf(100n * b, bt, digits) });
  const digits = fewestDigits((d) => {
    const { rate, base } = shown(d);
    const beyond = (base - rate) * 10n ** BigInt(maxDrop.decimals) > maxDrop.scaled * 10n ** BigInt(d);
    return (
      beyond === fails && agreesAt(100n * j, jt, d, rateLimits(thresholds)) && agreesAt(100n * b, bt, d, rateLimits([]))
    );
  });
  const { rate, base } = shown(digits);
  return {
    fails,
    rate: decimalText(rate, digits),
    baselineRate: decimalText(base, digits),
    points: fails ? decimalText(base - rate, digits) : ''
  };
}
