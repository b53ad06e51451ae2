/** When to try a failed request again: exponential backoff with jitter, honouring Retry-After. */

/** First backoff step; each retry doubles it. */
export const BACKOFF_BASE_MS = 500;
/** Backoff stops doubling here; a server's Retry-After may ask for longer. */
export const MAX_BACKOFF_MS = 30_000;

/** HTTP statuses worth another attempt: rate limits and transient server failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * The wait before retry number `retry` (1 for the first): "equal jitter", half fixed and half
 * random, so clients that failed together do not come back together.
 */
export function backoffDelay(retry: number, random: () => number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
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

/** Slack per attempt for the work around a request (connecting, parsing), so a slow machine
 * does not cut the last attempt short of its request-timeout. */
export const ATTEMPT_SLACK_MS = 1000;

/**
 * Time enough for every attempt to run its full request-timeout with the longest backoff
 * between them: the part of the step's time limit that is not waiting for a run.
 */
export function retryBudgetMs(retries: number, requestTimeoutMs: number): number {
  let backoff = 0;
  for (let retry = 1; retry <= retries; retry++) backoff += backoffDelay(retry, () => 1);
  return (retries + 1) * (requestTimeoutMs + ATTEMPT_SLACK_MS) + backoff;
}

/** Why there is no next attempt. */
export type NoRetry = 'retries spent' | 'past the deadline';

/**
 * The wait before the next attempt: the longer of the backoff and the server's Retry-After,
 * or why there is none: no retries left, or the wait and a full attempt (`attemptMs`) would
 * not fit before the deadline.
 */
export function nextDelay(options: {
  retry: number;
  retries: number;
  retryAfterMs: number | undefined;
  now: number;
  deadline: number;
  attemptMs: number;
  random: () => number;
}): number | NoRetry {
  const { retry, retries, retryAfterMs, now, deadline, attemptMs, random } = options;
  if (retry > retries) return 'retries spent';
  const delay = Math.max(retryAfterMs ?? 0, backoffDelay(retry, random));
  if (now + delay + attemptMs > deadline) return 'past the deadline';
  return delay;
}
