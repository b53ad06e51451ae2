/**
 * Exact completion-rate arithmetic. Rates and thresholds are compared as fractions of integers
 * (BigInt), never as floating point: 29 of 100 meets `29`, 2 of 3 misses `66.67`.
 */

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
 * The rate in percent with at most two decimals and no trailing zeros (`92`, `66.67`, `100`),
 * rounded half up, except that a rate short of 100 never shows as `100` and a rate above 0
 * never shows as `0`: a failing 99.999 % must not read as a perfect run.
 */
export function formatRate(completed: number, total: number): string {
  const c = BigInt(completed);
  const t = BigInt(total);
  let hundredths = (c * 20000n + t) / (2n * t);
  if (hundredths === 10000n && c < t) hundredths = 9999n;
  if (hundredths === 0n && c > 0n) hundredths = 1n;
  return formatHundredths(hundredths);
}

/**
 * The rate truncated to enough decimals to show that it is below `threshold` when it is, even
 * where two rounded decimals would not (`66.666` against 66.67), marked `…` when cut short.
 */
export function formatRateAgainst(completed: number, total: number, threshold: Threshold): string {
  const rounded = formatRate(completed, total);
  if (meetsThreshold(completed, total, threshold)) return rounded;
  const shown = parseThreshold('rate', rounded);
  const roundedMeets =
    shown.scaled * 10n ** BigInt(threshold.decimals) >= threshold.scaled * 10n ** BigInt(shown.decimals);
  if (!roundedMeets) return rounded;
  const digits = Math.max(threshold.decimals + 1, 3);
  const scale = 10n ** BigInt(digits);
  const c = BigInt(completed);
  const t = BigInt(total);
  const truncated = (c * 100n * scale) / t;
  const exact = (c * 100n * scale) % t === 0n;
  const whole = truncated / scale;
  const fraction = (truncated % scale).toString().padStart(digits, '0');
  return `${whole}.${fraction}${exact ? '' : '…'}`;
}

function formatHundredths(hundredths: bigint): string {
  const whole = hundredths / 100n;
  const fraction = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction === '' ? `${whole}` : `${whole}.${fraction}`;
}
