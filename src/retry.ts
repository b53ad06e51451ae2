/** When to try a failed request again: exponential backoff with jitter, honouring Retry-After. */

/** First backoff step; each retry doubles it. */
export const BACKOFF_BASE_MS = 500;
/** No single wait is longer than this, whatever the server asks. */
export const MAX_RETRY_DELAY_MS = 60_000;

/** HTTP statuses worth another attempt: rate limits and transient server failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * The wait before retry number `retry` (1 for the first): "equal jitter", half fixed and half
 * random, so clients that failed together do not come back together.
 */
export function backoffDelay(retry: number, random: () => number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * A `Retry-After` header in milliseconds: delta-seconds or an HTTP date (relative to `now`).
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before the next attempt, or undefined when there is none to make: no retries left,
 * the server asked for more than MAX_RETRY_DELAY_MS, or the wait would pass the deadline.
 */
export function nextDelay(options: {
  retry: number;
  retries: number;
  retryAfterMs: number | undefined;
  now: number;
  deadline: number | undefined;
  random: () => number;
}): number | undefined {
  const { retry, retries, retryAfterMs, now, deadline, random } = options;
  if (retry > retries) return undefined;
  if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_DELAY_MS) return undefined;
  const delay = Math.max(retryAfterMs ?? 0, backoffDelay(retry, random));
  const capped = Math.min(delay, MAX_RETRY_DELAY_MS);
  if (deadline !== undefined && now + capped >= deadline) return undefined;
  return capped;
}
