import { describe, expect, it } from '@jest/globals';
import { nextLink, rateLimitWait, readAnswer, serverMessage, SECONDARY_WAIT_MS } from '../../src/github/answers.js';

const asked = { repository: 'octo-org/voice-agents', pullNumber: 7 };
const reply = (status: number, message?: string, headers: Record<string, string> = {}) => ({
  status,
  headers,
  body: message === undefined ? '' : JSON.stringify({ message, documentation_url: 'https://docs.github.com/rest' })
});
const NOW = Date.parse('2026-12-04T17:00:00Z');

describe("GitHub's answers", () => {
  it('goes on for 2xx', () => {
    expect(readAnswer(reply(200), asked, NOW)).toEqual({ kind: 'ok' });
    expect(readAnswer(reply(201), asked, NOW)).toEqual({ kind: 'ok' });
  });

  it('says what to change for 401, 403, 404 and 422', () => {
    expect(readAnswer(reply(401, 'Bad credentials'), asked, NOW)).toEqual({
      kind: 'refused',
      message: `GitHub refused github-token (HTTP 401 "Bad credentials"): check 'github-token', or leave it unset for the workflow's own token.`
    });
    const fork = readAnswer(reply(403, 'Resource not accessible by integration'), asked, NOW);
    expect(fork).toEqual({
      kind: 'refused',
      message: expect.stringMatching(
        /^GitHub did not let github-token write the comment \(HTTP 403 "Resource not accessible by integration"\): give the job 'permissions: pull-requests: write' \(or issues: write\)\. A pull request from a fork gets a read-only token whatever 'permissions' says: comment from a workflow on workflow_run with 'pr-number' instead/
      )
    });
    expect(readAnswer(reply(404, 'Not Found'), asked, NOW)).toEqual({
      kind: 'refused',
      message: `GitHub found no pull request #7 in octo-org/voice-agents that github-token can see (HTTP 404 "Not Found"): check 'pr-number', and that the token is for this repository.`
    });
    expect(readAnswer(reply(422, 'Validation Failed'), asked, NOW)).toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('GitHub refused the comment as invalid (HTTP 422 "Validation Failed")')
    });
    expect(readAnswer(reply(418), asked, NOW)).toEqual({
      kind: 'refused',
      message: 'GitHub answered the comment request with HTTP 418.'
    });
  });

  it('retries 5xx and rate limits, honouring Retry-After', () => {
    expect(readAnswer(reply(503), asked, NOW)).toEqual({
      kind: 'retry',
      afterMs: undefined,
      why: "GitHub's API is failing (HTTP 503)"
    });
    expect(
      readAnswer(reply(403, 'You have exceeded a secondary rate limit.', { 'retry-after': '7' }), asked, NOW)
    ).toEqual({
      kind: 'retry',
      afterMs: 7000,
      why: 'GitHub is rate-limiting github-token (HTTP 403 "You have exceeded a secondary rate limit.")'
    });
    expect(readAnswer(reply(429, 'slow down', { 'retry-after': '2' }), asked, NOW)).toMatchObject({
      kind: 'retry',
      afterMs: 2000
    });
  });

  it('knows a rate limit by Retry-After, the secondary message, or a spent primary limit', () => {
    expect(rateLimitWait(reply(403, 'x', { 'retry-after': '3' }), 'x', NOW)).toBe(3000);
    expect(rateLimitWait(reply(403), 'You have exceeded a secondary rate limit', NOW)).toBe(SECONDARY_WAIT_MS);
    const reset = String(NOW / 1000 + 42);
    expect(
      rateLimitWait(
        reply(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
        '',
        NOW
      )
    ).toBe(42_000);
    expect(rateLimitWait(reply(429), '', NOW)).toBe(SECONDARY_WAIT_MS);
    expect(
      rateLimitWait(reply(403, 'Resource not accessible by integration', { 'x-ratelimit-remaining': '4999' }), '', NOW)
    ).toBeUndefined();
    expect(rateLimitWait(reply(500, 'x', { 'retry-after': '3' }), 'x', NOW)).toBeUndefined();
  });

  it("shows GitHub's own message, one line, or nothing", () => {
    expect(serverMessage('{"message":"a\\nb"}')).toBe('a b');
    expect(serverMessage('<html>')).toBe('');
    expect(serverMessage('null')).toBe('');
    expect(serverMessage('{"message":5}')).toBe('');
  });

  it('follows rel="next" in a Link header only', () => {
    const link =
      '<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=1>; rel="prev", <https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=3>; rel="next", <https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=5>; rel="last"';
    expect(nextLink(link)).toBe('https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=3');
    expect(nextLink('<https://x/a?page=5>; rel="last", <https://x/a?page=1>; rel="first"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
    expect(nextLink('<https://x/a?page=2>; rel=next')).toBe('https://x/a?page=2');
  });
});

describe("GitHub's answers, at the edges", () => {
  it('goes on only for 2xx: 1xx and 3xx are not a written comment', () => {
    expect(readAnswer(reply(299), asked, NOW)).toEqual({ kind: 'ok' });
    expect(readAnswer(reply(199), asked, NOW)).toEqual({
      kind: 'refused',
      message: 'GitHub answered the comment request with HTTP 199.'
    });
    expect(readAnswer(reply(300), asked, NOW)).toEqual({
      kind: 'refused',
      message: 'GitHub answered the comment request with HTTP 300.'
    });
  });

  it('reads a Link part written with or without spaces around its separators', () => {
    expect(nextLink('<https://x/a?page=2>;rel="next"')).toBe('https://x/a?page=2');
    expect(nextLink('<https://x/a?page=2> ; rel = "next" ; title="more"')).toBe('https://x/a?page=2');
    expect(nextLink('<https://x/a?page=2>; rel=\t"next"')).toBe('https://x/a?page=2');
  });

  it('follows next among several relation types, and no relation that merely contains it', () => {
    expect(nextLink('<https://x/a?page=2>; rel="prev next"')).toBe('https://x/a?page=2');
    expect(nextLink('<https://x/a?page=2>; rel="next last"')).toBe('https://x/a?page=2');
    expect(nextLink('<https://x/a?page=2>; rel="nextpage"')).toBeUndefined();
    expect(nextLink('<https://x/a?page=2>; rel="prenext"')).toBeUndefined();
  });

  it('follows no Link part that does not start with its URL or runs over a line', () => {
    expect(nextLink('junk <https://x/a?page=2>; rel="next"')).toBeUndefined();
    expect(nextLink('<https://x/a?page=2>; rel="next"\n; junk')).toBeUndefined();
  });
});
