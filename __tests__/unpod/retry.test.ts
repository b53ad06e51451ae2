import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  MAX_BACKOFF_MS,
  backoffDelay,
  retryBudgetMs,
  isRetryableStatus,
  nextDelay,
  parseRetryAfter
} from '../../src/unpod/retry.js';

describe('isRetryableStatus', () => {
  it('retries rate limits and transient server failures only', () => {
    for (const s of [429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [200, 206, 301, 400, 401, 403, 404, 405, 501, 505]) expect(isRetryableStatus(s)).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles with half of each step random, capped', () => {
    expect(backoffDelay(1, () => 0)).toBe(250);
    expect(backoffDelay(1, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 0)).toBe(1000);
    expect(backoffDelay(30, () => 1)).toBe(MAX_BACKOFF_MS);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
  it('reads a value with spaces around it, as headers often carry', () => {
    expect(parseRetryAfter(' 7 ', now)).toBe(7000);
    expect(parseRetryAfter('\t120\t', now)).toBe(120_000);
    expect(parseRetryAfter('  Sat, 28 Nov 2026 12:00:30 GMT ', now)).toBe(30_000);
    expect(parseRetryAfter('7 s', now)).toBeUndefined();
  });
});

describe('nextDelay', () => {
  const base = { retries: 3, retryAfterMs: undefined, now: 0, deadline: 1_000_000, attemptMs: 1000, random: () => 0.5 };
  it('stops when the retries are spent', () => {
    expect(nextDelay({ ...base, retry: 3 })).toBe(1500);
    expect(nextDelay({ ...base, retry: 4 })).toBe('retries spent');
    expect(nextDelay({ ...base, retries: 0, retry: 1 })).toBe('retries spent');
  });
  it('honours Retry-After, even beyond the backoff cap, but not past the deadline', () => {
    expect(nextDelay({ ...base, retry: 1, retryAfterMs: 5000 })).toBe(5000);
    expect(nextDelay({ ...base, retry: 1, retryAfterMs: 90_000 })).toBe(90_000);
    expect(nextDelay({ ...base, retry: 1, retryAfterMs: 5000, deadline: 5999 })).toBe('past the deadline');
    expect(nextDelay({ ...base, retry: 1, retryAfterMs: 5000, deadline: 6000 })).toBe(5000);
    expect(nextDelay({ ...base, retry: 1, retryAfterMs: 0 })).toBe(375);
    expect(nextDelay({ ...base, retry: 1, deadline: 1300 })).toBe('past the deadline');
  });
  it('never returns a wait that leaves no room for a full attempt, nor one shorter than Retry-After or the backoff', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.option(fc.nat(200_000), { nil: undefined }),
        fc.nat(300_000),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (retry, retryAfterMs, deadline, r) => {
          const delay = nextDelay({
            retry,
            retries: 10,
            retryAfterMs,
            now: 0,
            deadline,
            attemptMs: 2000,
            random: () => r
          });
          if (typeof delay !== 'number') {
            expect(delay).toBe('past the deadline');
            return;
          }
          expect(delay + 2000).toBeLessThanOrEqual(deadline);
          expect(delay).toBeGreaterThanOrEqual(backoffDelay(retry, () => r));
          if (retryAfterMs !== undefined) expect(delay).toBeGreaterThanOrEqual(retryAfterMs);
        }
      )
    );
  });
});

describe('retryBudgetMs', () => {
  it('fits every attempt at its full timeout, the longest backoffs and some slack', () => {
    expect(retryBudgetMs(0, 30_000)).toBe(31_000);
    expect(retryBudgetMs(3, 30_000)).toBe(4 * 31_000 + 500 + 1000 + 2000);
    fc.assert(
      fc.property(fc.nat(10), fc.integer({ min: 100, max: 86_400_000 }), (retries, timeout) => {
        let backoff = 0;
        for (let r = 1; r <= retries; r++) backoff += backoffDelay(r, () => 1);
        expect(retryBudgetMs(retries, timeout)).toBeGreaterThanOrEqual((retries + 1) * timeout + backoff);
      })
    );
  });
});
