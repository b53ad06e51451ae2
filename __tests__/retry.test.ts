import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_RETRY_DELAY_MS, backoffDelay, isRetryableStatus, nextDelay, parseRetryAfter } from '../src/retry.js';

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
    expect(backoffDelay(30, () => 1)).toBe(MAX_RETRY_DELAY_MS);
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
});

describe('nextDelay', () => {
  const base = { retries: 3, retryAfterMs: undefined, now: 0, deadline: undefined, random: () => 0.5 };
  it('stops when the retries are spent', () => {
    expect(nextDelay({ ...base, retry: 3 })).toBeGreaterThan(0);
    expect(nextDelay({ ...base, retry: 4 })).toBeUndefined();
    expect(nextDelay({ ...base, retries: 0, retry: 1 })).toBeUndefined();
  });
  it('honours Retry-After, but not beyond the cap or the deadline', () => {
    expect(nextDelay({ ...base, retry: 1, retryAfterMs: 5000 })).toBe(5000);
    expect(nextDelay({ ...base, retry: 1, retryAfterMs: MAX_RETRY_DELAY_MS + 1 })).toBeUndefined();
    expect(nextDelay({ ...base, retry: 1, retryAfterMs: 5000, deadline: 4000 })).toBeUndefined();
    expect(nextDelay({ ...base, retry: 1, retryAfterMs: 0 })).toBe(375);
  });
  it('never returns a wait past the deadline or the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.option(fc.nat(200_000), { nil: undefined }),
        fc.option(fc.nat(300_000), { nil: undefined }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (retry, retryAfterMs, deadline, r) => {
          const delay = nextDelay({ retry, retries: 10, retryAfterMs, now: 0, deadline, random: () => r });
          if (delay === undefined) return;
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
          if (deadline !== undefined) expect(delay).toBeLessThan(deadline);
          if (retryAfterMs !== undefined) expect(delay).toBeGreaterThanOrEqual(retryAfterMs);
        }
      )
    );
  });
});
