/**
 * The three GitHub endpoints the comment needs (list, create, update an issue comment), through
 * the same bounded transport as Unpod's API but with its own token: github-token goes only to
 * GitHub's API root, the Unpod token never does. Retries 5xx and rate limits within a deadline.
 */
import type { components, operations } from '@octokit/openapi-types';
import type { Clock } from '../unpod/client.js';
import { ATTEMPT_SLACK_MS, nextDelay } from '../unpod/retry.js';
import { TransportError, type HttpResponse, type Transport } from '../unpod/transport.js';
import { formatDuration } from '../values/duration.js';
import { oneLine } from '../values/text.js';
import { header, nextLink, readAnswer, type Asked } from './answers.js';

type IssueComment = components['schemas']['issue-comment'];
type NewComment = operations['issues/create-comment']['requestBody']['content']['application/json'];
type EditedComment = operations['issues/update-comment']['requestBody']['content']['application/json'];

/** GitHub's largest page of comments. */
export const PER_PAGE = 100;
/** More comments than any pull request has; a server whose Link never ends stops here. */
export const MAX_PAGES = 300;
/** A page of 100 comments of 65,536 characters each is about 26 MB. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** A comment as the gate reads it: only what finding its own comment takes. */
export interface Comment {
  readonly id: number;
  readonly body: string;
  /** A bot (the workflow's token) or someone with write access wrote it; anyone else's marker is ignored. */
  readonly trusted: boolean;
}

export interface GitHubOptions {
  /** GitHub's REST API root (GITHUB_API_URL). */
  readonly apiUrl: string;
  readonly token: string;
  readonly requestTimeoutMs: number;
  readonly retries: number;
  /** Epoch ms: no attempt or wait past it (the step-timeout). */
  readonly deadline: number;
}

export interface GitHubLog {
  info(line: string): void;
  debug(line: string): void;
}

/** The comment could not be read or written; the message says what to change. */
export class GitHubError extends Error {
  override readonly name = 'GitHubError';
}

export class GitHubApi {
  /** Requests sent, retries included. */
  requests = 0;

  constructor(
    private readonly options: GitHubOptions,
    private readonly transport: Pick<Transport, 'request'>,
    private readonly log: GitHubLog,
    private readonly clock: Clock
  ) {}

  /** Every comment of the pull request, following `Link: rel="next"` across all pages. */
  async listComments(asked: Asked): Promise<Comment[]> {
    const comments: Comment[] = [];
    let url: string | undefined = `${this.repoUrl(asked)}/issues/${asked.pullNumber}/comments?per_page=${PER_PAGE}`;
    for (let page = 1; url !== undefined; page++) {
      if (page > MAX_PAGES)
        throw new GitHubError(`GitHub listed more than ${MAX_PAGES} pages of comments; the gate stopped reading.`);
      const reply = await this.send('GET', url, asked);
      comments.push(...parseComments(reply.body));
      url = nextLink(header(reply, 'link'));
      if (url !== undefined && !this.isOwnApi(url)) {
        throw new GitHubError(
          `GitHub's Link header points outside ${this.options.apiUrl}; the gate does not send github-token there.`
        );
      }
    }
    return comments;
  }

  async createComment(asked: Asked, body: string): Promise<number> {
    const payload: NewComment = { body };
    const reply = await this.send('POST', `${this.repoUrl(asked)}/issues/${asked.pullNumber}/comments`, asked, payload);
    return parseComment(reply.body).id;
  }

  async updateComment(asked: Asked, id: number, body: string): Promise<void> {
    const payload: EditedComment = { body };
    await this.send('PATCH', `${this.repoUrl(asked)}/issues/comments/${id}`, asked, payload);
  }

  private repoUrl(asked: Asked): string {
    const [owner = '', repo = ''] = asked.repository.split('/');
    return `${this.options.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  }

  private isOwnApi(url: string): boolean {
    return url.startsWith(`${this.options.apiUrl}/`);
  }

  /** One request, retried while GitHub asks to wait or fails, within the deadline. */
  private async send(
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    asked: Asked,
    payload?: object
  ): Promise<HttpResponse> {
    const { token, requestTimeoutMs, retries, deadline } = this.options;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28'
    };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    for (let attempt = 1; ; attempt++) {
      const left = deadline - this.clock.now();
      if (left <= 0)
        throw new GitHubError('No time was left within step-timeout to write the comment: raise step-timeout.');
      let why: string;
      let retryAfterMs: number | undefined;
      try {
        this.requests++;
        this.log.debug(`GitHub: ${method} ${url}`);
        const reply = await this.transport.request(method, url, {
          headers,
          timeoutMs: Math.min(requestTimeoutMs, left),
          maxBytes: MAX_BODY_BYTES,
          ...(payload === undefined ? {} : { body: JSON.stringify(payload) })
        });
        const answer = readAnswer(reply, asked, this.clock.now());
        if (answer.kind === 'ok') return reply;
        if (answer.kind === 'refused') throw new GitHubError(answer.message);
        ({ why, afterMs: retryAfterMs } = answer);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        // Transport messages name base-url; here the address is GitHub's API.
        const detail = error.message.replace(/'base-url'/g, 'GITHUB_API_URL');
        if (error.kind !== 'timeout' && error.kind !== 'network')
          throw new GitHubError(`The request to GitHub failed: ${detail}`);
        why = `The request to GitHub failed (${oneLine(detail)})`;
        retryAfterMs = undefined;
      }
      const delay = nextDelay({
        retry: attempt,
        retries,
        retryAfterMs,
        now: this.clock.now(),
        deadline,
        attemptMs: Math.min(requestTimeoutMs, 10_000) + ATTEMPT_SLACK_MS,
        random: () => this.clock.random()
      });
      const tries = `after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
      if (delay === 'retries spent') throw new GitHubError(`${why}, ${tries}; the next run will write the comment.`);
      if (delay === 'past the deadline') {
        const asked = retryAfterMs === undefined ? '' : `; it asked to wait ${formatDuration(retryAfterMs)}`;
        throw new GitHubError(`${why}, ${tries}${asked}, past step-timeout; the next run will write the comment.`);
      }
      this.log.info(`${why}; trying again in ${formatDuration(delay)}.`);
      await this.clock.sleep(delay);
    }
  }
}

/** A page of comments: an array of objects with a numeric id; other fields read when they fit. */
export function parseComments(text: string): Comment[] {
  const parsed = parseJson(text);
  if (!Array.isArray(parsed))
    throw new GitHubError('GitHub answered the comments list with something other than a list.');
  return parsed.map((item) => toComment(item));
}

/** The comment GitHub answered a create with. */
export function parseComment(text: string): Comment {
  return toComment(parseJson(text));
}

function toComment(item: unknown): Comment {
  const c = (typeof item === 'object' && item !== null ? item : {}) as Partial<IssueComment>;
  if (typeof c.id !== 'number' || !Number.isSafeInteger(c.id)) {
    throw new GitHubError('GitHub sent a comment without a numeric id.');
  }
  const association = c.author_association;
  const trusted =
    c.user?.type === 'Bot' || association === 'OWNER' || association === 'MEMBER' || association === 'COLLABORATOR';
  return { id: c.id, body: typeof c.body === 'string' ? c.body : '', trusted };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new GitHubError('GitHub answered with a body that is not JSON: check GITHUB_API_URL.');
  }
}
