/**
 * Where the comment goes: the pull request, the repository and GitHub's API, read from the
 * runner's environment and event payload. Pure: main.ts passes process.env and the payload.
 */
import { isLoopbackHost } from '../settings/inputs.js';
import { oneLine } from '../values/text.js';

/** Events whose payload names the pull request the run is for. */
export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'] as const;

export interface CommentTarget {
  /** GitHub's REST API root, without a trailing slash (GHES: https://host/api/v3). */
  readonly apiUrl: string;
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
  /** The workflow run writing the comment; a larger id is a newer run. */
  readonly runId: number;
  readonly runAttempt: number;
  /** The run's page, where its job summary is. */
  readonly runUrl: string;
  /** The workflow and the job: with the agents, they key the comment. */
  readonly workflow: string;
  readonly job: string;
  /** The commit the gate judged: the pull request's head, else the run's commit. */
  readonly sha: string;
}

/** No comment, and why: not a pull request (no request at all), or a setting to fix. */
export interface NoTarget {
  readonly problem: string;
  /** true: worth a warning (something to change); false: the event simply has no pull request. */
  readonly warn: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The pull request to comment on: `prNumber` when given, else the pull_request event's own.
 * `event` is the parsed GITHUB_EVENT_PATH payload (undefined when unreadable).
 */
export function commentTarget(env: Env, event: unknown, prNumber: number | undefined): CommentTarget | NoTarget {
  const name = env.GITHUB_EVENT_NAME ?? '';
  const pull = pullRequestOf(event);
  const fromEvent = (PULL_REQUEST_EVENTS as readonly string[]).includes(name) ? pull?.number : undefined;
  const pullNumber = prNumber ?? fromEvent;
  if (pullNumber === undefined) {
    return {
      problem: `The event ${JSON.stringify(oneLine(name, 60))} is not a pull request and 'pr-number' is empty, so no comment was written.`,
      warn: false
    };
  }
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const runId = Number(env.GITHUB_RUN_ID);
  if (!/^[\w.-]+$/.test(owner) || !/^[\w.-]+$/.test(repo) || !Number.isSafeInteger(runId) || runId < 1) {
    return {
      problem:
        'GITHUB_REPOSITORY or GITHUB_RUN_ID is missing or malformed, so no comment was written: run the action in GitHub Actions.',
      warn: true
    };
  }
  const api = apiUrl(env.GITHUB_API_URL);
  if (typeof api !== 'string') return api;
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
  const attempt = Number(env.GITHUB_RUN_ATTEMPT);
  const runAttempt = Number.isSafeInteger(attempt) && attempt > 0 ? attempt : 1;
  // A workflow_run workflow judges the commit of the run that started it.
  const sha = prNumber === undefined ? pull?.headSha : headShaOf(event, 'workflow_run');
  return {
    apiUrl: api,
    owner,
    repo,
    pullNumber,
    runId,
    runAttempt,
    runUrl: `${server}/${owner}/${repo}/actions/runs/${runId}${runAttempt > 1 ? `/attempts/${runAttempt}` : ''}`,
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    sha: sha ?? env.GITHUB_SHA ?? ''
  };
}

/**
 * GITHUB_API_URL: https, or plain http to loopback only (as for base-url), since the token
 * goes with every request.
 */
export function apiUrl(text: string | undefined): string | NoTarget {
  const value = text === undefined || text.trim() === '' ? 'https://api.github.com' : text.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: 'GITHUB_API_URL is not a URL, so no comment was written.', warn: true };
  }
  const insecure = url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || insecure || url.username !== '' || url.search !== '') {
    return {
      problem: `GITHUB_API_URL ${JSON.stringify(oneLine(url.origin, 100))} is not an https:// URL (plain http:// only to loopback), so no comment was written and github-token was not sent.`,
      warn: true
    };
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function pullRequestOf(event: unknown): { number: number; headSha: string | undefined } | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const pr = (event as { pull_request?: unknown }).pull_request;
  if (typeof pr !== 'object' || pr === null) return undefined;
  const { number } = pr as { number?: unknown };
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) return undefined;
  return { number, headSha: commitOf((pr as { head?: { sha?: unknown } }).head?.sha) };
}

function headShaOf(event: unknown, field: string): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const run = (event as Record<string, { head_sha?: unknown } | undefined>)[field];
  return commitOf(run?.head_sha);
}

function commitOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9a-f]{40}$/.test(value) ? value : undefined;
}
