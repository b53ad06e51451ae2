/** Durations as users write them in workflow inputs: `90`, `90s`, `1500ms`, `10m`, `1h`, `1m30s`, `7d`, `24H`, `30 s`. */

/** The longest time the gate itself may spend on anything: a day, beyond any hosted job's limit. */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
/** Units in any case, each part optionally spaced: `24H`, `30 s`, `1m 30s` (as formatDuration writes). */
const PATTERN = /^(?:(\d+)\s*d\s*)?(?:(\d+)\s*h\s*)?(?:(\d+)\s*m(?!s)\s*)?(?:(\d+)\s*s\s*)?(?:(\d+)\s*ms)?$/i;

/**
 * Parses a duration into milliseconds. A bare number is seconds; units go from largest to
 * smallest, each at most once. Throws an error naming `input` for anything else.
 */
export function parseDuration(input: string, text: string, maxMs = MAX_DURATION_MS): number {
  const value = text.trim();
  const expected = `expected a duration such as 90, 90s, 1500ms, 10m, 1h or 1m30s, in units d, h, m, s and ms (at most ${formatDuration(maxMs)})`;
  if (/^\d+$/.test(value)) return checkRange(input, Number(value) * UNIT_MS.s, value, expected, maxMs);
  const match = PATTERN.exec(value);
  if (value === '' || match === null) {
    throw new Error(`Input '${input}' is ${JSON.stringify(text)}: ${expected}.`);
  }
  const [, d, h, m, s, ms] = match;
  const total =
    Number(d ?? 0) * UNIT_MS.d +
    Number(h ?? 0) * UNIT_MS.h +
    Number(m ?? 0) * UNIT_MS.m +
    Number(s ?? 0) * UNIT_MS.s +
    Number(ms ?? 0);
  return checkRange(input, total, value, expected, maxMs);
}

function checkRange(input: string, ms: number, text: string, expected: string, maxMs: number): number {
  if (!Number.isSafeInteger(ms) || ms > maxMs) {
    throw new Error(`Input '${input}' is ${JSON.stringify(text)}, which is too long: ${expected}.`);
  }
  return ms;
}

/** Formats milliseconds for people: `850ms`, `45s`, `2m 5s`, `1h 0m 3s`, `3d 4h`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const totalSeconds = Math.round(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  if (days > 0) return `${days}d ${Math.floor((totalSeconds % 86_400) / 3600)}h`;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}
