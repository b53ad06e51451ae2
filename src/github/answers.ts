/**
 * What GitHub's answers mean for the comment: go on, try again (and when), or give up saying
 * what to change. Pure, so every answer's message is tested as written.
 */
import { isRetryableStatus, parseRetryAfter } from '../unpod/retry.js';
import { oneLine } from '../values/text.js';

/** GitHub asks to wait at least a minute after a secondary rate limit that names no wait. */
export const SECONDARY_WAIT_MS = 60_000;

export type Answer =
  | { readonly kind: 'ok' }
  | { readonly kind: 'retry'; readonly afterMs: number | undefined; readonly why: string }
  | { readonly kind: 'refused'; readonly message: string };

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** What the comment's request is, for the messages. */
export interface Asked {
  /** owner/repo */
  readonly repository: string;
  readonly pullNumber: number;
}

const FORK_HINT =
  "A pull request from a fork gets a read-only token whatever 'permissions' says: comment from a workflow on workflow_run with 'pr-number' instead, or leave pr-comment off for forks.";

/** Reads one answer to a comment request. */
export function readAnswer(reply: Reply, asked: Asked, now: number): Answer {
  const { status } = reply;
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const said = serverMessage(reply.body);
  const quoted = said === '' ? `HTTP ${status}` : `HTTP ${status} ${JSON.stringify(said)}`;
  const limited = rateLimitWait(reply, said, now);
  if (limited !== undefined)
    return { kind: 'retry', afterMs: limited, why: `GitHub is rate-limiting github-token (${quoted})` };
  if (isRetryableStatus(status))
    return { kind: 'retry', afterMs: undefined, why: `GitHub's API is failing (${quoted})` };
  switch (status) {
    case 401:
      return {
        kind: 'refused',
        message: `GitHub refused github-token (${quoted}): check 'github-token', or leave it unset for the workflow's own token.`
      };
    case 403:
      return {
        kind: 'refused',
        message: `GitHub did not let github-token write the comment (${quoted}): give the job 'permissions: pull-requests: write' (or issues: write). ${FORK_HINT}`
      };
    case 404:
      return {
        kind: 'refused',
        message: `GitHub found no pull request #${asked.pullNumber} in ${asked.repository} that github-token can see (${quoted}): check 'pr-number', and that the token is for this repository.`
      };
    case 422:
      return {
        kind: 'refused',
        message: `GitHub refused the comment as invalid (${quoted}): it may be too long or the pull request locked; the job summary has the verdict.`
      };
    default:
      return { kind: 'refused', message: `GitHub answered the comment request with ${quoted}.` };
  }
}

/**
 * How long a rate limit asks to wait: Retry-After; a secondary limit without it, a minute; a
 * spent primary limit, until x-ratelimit-reset. Undefined when the answer is no rate limit.
 */
export function rateLimitWait(reply: Reply, said: string, now: number): number | undefined {
  if (reply.status !== 403 && reply.status !== 429) return undefined;
  const retryAfter = parseRetryAfter(header(reply, 'retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  if (/secondary rate limit/i.test(said)) return SECONDARY_WAIT_MS;
  if (header(reply, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(reply, 'x-ratelimit-reset'));
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : SECONDARY_WAIT_MS;
  }
  return reply.status === 429 ? SECONDARY_WAIT_MS : undefined;
}

/** GitHub's own words: the `message` of its JSON error body, one short line. */
export function serverMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const message = (parsed as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? oneLine(message, 200) : '';
  } catch {
    return '';
  }
}

export function header(reply: Pick<Reply, 'headers'>, name: string): string | undefined {
  const value = reply.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The `rel="next"` URL of a Link header, if any. */
export function nextLink(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  for (const part of link.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /(?:^|;)\s*rel\s*=\s*"?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/i.test(match[2] ?? ''))
      return match[1];
  }
  return undefined;
}
