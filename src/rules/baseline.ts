/**
 * The max-drop rule: the judged (pooled) rate may fall at most `max-drop` percentage points
 * below the baseline's pooled rate. Decided on integers: no float is ever compared.
 */
import type { Threshold } from '../values/percent.js';
import { showAgainst } from './shown.js';
import type { Counts } from './window.js';

export interface Drop {
  /** The judged rate is more than max-drop points below the baseline. */
  readonly fails: boolean;
  /** The judged rate is below the baseline at all. */
  readonly below: boolean;
  /** How many points below (or above) the baseline, never contradicting `fails`: `9`, `5.005`. */
  readonly points: string;
}

/**
 * Compares `judged` with `baseline` (both with a positive total). The drop in points is
 * 100 (b/B - j/J), so "more than d" is 100 (b J - j B) 10^k > s J B for d = s / 10^k.
 */
export function checkDrop(judged: Counts, baseline: Counts, maxDrop: Threshold): Drop {
  const j = BigInt(judged.completed);
  const jt = BigInt(judged.total);
  const b = BigInt(baseline.completed);
  const bt = BigInt(baseline.total);
  const gap = 100n * (b * jt - j * bt); // points × jt × bt
  const den = jt * bt;
  const fails = gap * 10n ** BigInt(maxDrop.decimals) > maxDrop.scaled * den;
  const below = gap > 0n;
  return { fails, below, points: showAgainst(below ? gap : -gap, den, maxDrop) };
}
