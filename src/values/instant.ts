/**
 * ISO 8601 timestamps as Unpod sends them: with `Z`, with an offset such as `+05:30`, or with no
 * offset at all (which the server means as UTC), with or without fractions of a second; `t` and
 * `z` in lower case too, as RFC 3339 allows.
 */

/** An exact instant: nanoseconds since the Unix epoch, so microsecond fractions still order. */
export type Instant = bigint;

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses an ISO 8601 date-time into an exact instant, or returns undefined when it is not one. */
export function parseInstant(text: string): Instant | undefined {
  const match = PATTERN.exec(text.trim());
  if (match === null) return undefined;
  // Stryker disable next-line StringLiteral: Number('') is 0 and an empty zone reads as +00:00, so '' defaults would mean the same
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetMinutes = parseOffset(zone);
  if (offsetMinutes === undefined) return undefined;
  const ms = utcMillis(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const nanos = BigInt(fraction.padEnd(9, '0'));
  return BigInt(ms) * 1_000_000n + nanos;
}

/** Milliseconds since the epoch, for arithmetic with clocks. */
export function instantToMillis(instant: Instant): number {
  return Number(instant / 1_000_000n);
}

/** The instant as ISO 8601 in UTC, keeping the fraction's digits down to nanoseconds: `2026-02-07T05:57:45.123456Z`. */
export function formatInstant(instant: Instant): string {
  const ms = instant / 1_000_000n;
  const subMs = instant % 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // always ends in .sssZ
  const base = iso.slice(0, 19);
  const fraction = (iso.slice(20, 23) + subMs.toString().padStart(6, '0')).replace(/0+$/, '');
  return `${base}${fraction === '' ? '' : `.${fraction}`}Z`;
}

/** Minutes east of UTC for `Z`, `z`, `+05`, `+05:30` or `-0530`: missing digits read as 0 (`Number('')`), so `Z` is +00:00. */
function parseOffset(zone: string): number | undefined {
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMillis(year, month, 0, 0, 0, 0)).getUTCDate();
}

// Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}
