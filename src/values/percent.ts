/**
 * Percentages as users write them and people read them, held exactly: a threshold as an integer
 * over a power of ten, the confidence levels offered, and exact decimals as text. Pure values,
 * shared by the settings and the rules.
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

/** True when `a` is below `b`, compared exactly whatever decimals each was written with. */
export function isBelow(a: Threshold, b: Threshold): boolean {
  return a.scaled * 10n ** BigInt(b.decimals) < b.scaled * 10n ** BigInt(a.decimals);
}

/** The confidence levels offered, in percent. */
export const CONFIDENCES = ['80', '90', '95', '98', '99'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

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
