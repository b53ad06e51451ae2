/**
 * The GitHub client against the example GitHub server on loopback, with a fake clock; a scripted
 * transport for what the server cannot produce (transport failures, exact deadlines, endless pages).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GITHUB_TOKEN, secondaryRateLimit, startGitHub, type GitHub } from '../../emulator/github.mjs';
import { GitHubApi, GitHubError, MAX_PAGES, parseComments } from '../../src/github/client.js';
import { Transport, TransportError, type HttpResponse, type RequestOptions } from '../../src/unpod/transport.js';
import { createServer } from 'node:http';
import { fakeClock, listenOnLoopback } from '../helpers.js';

let github: GitHub;
const transport = new Transport('unpod-gate-action/test');
beforeAll(async () => {
  github = await startGitHub();
});
afterAll(async () => {
  transport.dispose();
  await github.close();
});

let pulls = 0;
const REPO = 'o/r';
function client(over: { deadline?: number; retries?: number; apiUrl?: string } = {}) {
  const clock = fakeClock();
  const lines: string[] = [];
  const api = new GitHubApi(
    { apiUrl: github.url, token: GITHUB_TOKEN, requestTimeoutMs: 5000, retries: 2, deadline: 600_000, ...over },
    transport,
    { info: (l) => lines.push(l), debug: () => undefined },
    clock
  );
  return { api, clock, lines };
}

describe('GitHubApi', () => {
  it('lists every page, creates and updates, with its own token and headers only', async () => {
    const pull = ++pulls;
    for (let i = 0; i < 205; i++)
      github.addComment(REPO, pull, `c${i}`, { login: 'dev', association: i === 204 ? 'MEMBER' : 'NONE' });
    const { api } = client();
    const asked = { repository: REPO, pullNumber: pull };
    const since = github.requests.length;
    const comments = await api.listComments(asked);
    expect(comments).toHaveLength(205);
    expect(comments.map((c) => c.trusted).filter(Boolean)).toHaveLength(1);
    expect(github.requests.slice(since).map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    const id = await api.createComment(asked, 'hello');
    expect(github.comments(REPO, pull).at(-1)).toMatchObject({ id, body: 'hello', author_association: 'NONE' });
    await api.updateComment(asked, id, 'again');
    expect(github.comments(REPO, pull).at(-1)?.body).toBe('again');
    const sent = github.requests.at(-1);
    expect(sent?.headers).toMatchObject({
      authorization: `Bearer ${GITHUB_TOKEN}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'content-type': 'application/json'
    });
    expect(JSON.parse(sent?.body ?? '')).toEqual({ body: 'again' });
    expect(api.requests).toBe(5);
  });

  it('waits as Retry-After asks, then goes on; gives up when the wait passes the deadline', async () => {
    const pull = ++pulls;
    github.openPullRequest(REPO, pull);
    github.fault(secondaryRateLimit(5));
    const { api, clock, lines } = client();
    expect(await api.listComments({ repository: REPO, pullNumber: pull })).toEqual([]);
    expect(clock.slept).toEqual([5000]);
    expect(lines).toEqual([
      expect.stringMatching(
        /^GitHub is rate-limiting github-token \(HTTP 403 "You have exceeded a secondary rate limit\..*"\); trying again in 5s\.$/
      )
    ]);

    github.fault(secondaryRateLimit(700));
    const late = client({ deadline: 60_000 });
    await expect(late.api.listComments({ repository: REPO, pullNumber: pull })).rejects.toThrow(
      /after 1 attempt; it asked to wait 11m 40s, past step-timeout/
    );
    expect(late.clock.slept).toEqual([]);
  });

  it('retries 5xx up to its retries, then says so', async () => {
    const pull = ++pulls;
    github.openPullRequest(REPO, pull);
    for (let i = 0; i < 3; i++) github.fault({ status: 502, body: { message: 'Server Error' } });
    const { api, clock } = client({ retries: 2 });
    await expect(api.listComments({ repository: REPO, pullNumber: pull })).rejects.toThrow(
      `GitHub's API is failing (HTTP 502 "Server Error"), after 3 attempts; the next run will write the comment.`
    );
    expect(clock.slept).toHaveLength(2);
  });

  it('refuses a wrong token and an unknown pull request at once', async () => {
    const bad = new GitHubApi(
      { apiUrl: github.url, token: 'ghs_wrong_token_0000', requestTimeoutMs: 5000, retries: 2, deadline: 60_000 },
      transport,
      { info: () => undefined, debug: () => undefined },
      fakeClock()
    );
    await expect(bad.listComments({ repository: REPO, pullNumber: 1 })).rejects.toThrow(
      `GitHub refused github-token (HTTP 401 "Bad credentials")`
    );
    const { api } = client();
    await expect(api.listComments({ repository: REPO, pullNumber: 424242 })).rejects.toThrow(GitHubError);
  });

  it('never follows a Link outside the API root, and stops at no time left', async () => {
    const elsewhere = createServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', Link: '<http://127.0.0.1:9/steal?page=2>; rel="next"' });
      res.end('[]');
    });
    const port = await listenOnLoopback(elsewhere);
    try {
      const { api } = client({ apiUrl: `http://127.0.0.1:${port}` });
      await expect(api.listComments({ repository: REPO, pullNumber: 1 })).rejects.toThrow(
        `GitHub's Link header points outside http://127.0.0.1:${port}; the gate does not send github-token there.`
      );
      expect(api.requests).toBe(1);
    } finally {
      elsewhere.close();
    }
    const { api } = client({ deadline: 0 });
    await expect(api.listComments({ repository: REPO, pullNumber: 1 })).rejects.toThrow(
      'No time was left within step-timeout'
    );
    expect(api.requests).toBe(0);
    expect(MAX_PAGES).toBeGreaterThanOrEqual(100);
  });

  it('parses only what it needs, refusing a comment without an id', () => {
    expect(parseComments('[{"id":1,"body":null,"user":{"type":"Bot"},"author_association":"NONE"}]')).toEqual([
      { id: 1, body: '', trusted: true }
    ]);
    expect(parseComments('[{"id":2,"body":"x","user":null,"author_association":"COLLABORATOR"}]')[0]?.trusted).toBe(
      true
    );
    expect(
      parseComments('[{"id":3,"body":"x","user":{"type":"User"},"author_association":"CONTRIBUTOR"}]')[0]?.trusted
    ).toBe(false);
    expect(() => parseComments('[{"body":"x"}]')).toThrow('GitHub sent a comment without a numeric id.');
    expect(() => parseComments('{}')).toThrow('something other than a list');
    expect(() => parseComments('<html>')).toThrow('not JSON');
  });
});

/** A transport that answers from a script and records what it was asked; no network. */
function scripted(answers: (HttpResponse | TransportError)[], repeatLast = false) {
  const calls: { method: string; url: string; options: RequestOptions }[] = [];
  const transport = {
    request(method: 'GET' | 'POST' | 'PATCH', url: string, options: RequestOptions): Promise<HttpResponse> {
      calls.push({ method, url, options });
      if (calls.length > 1000) throw new Error('more than 1000 requests');
      const answer = repeatLast ? answers[Math.min(calls.length, answers.length) - 1] : answers[calls.length - 1];
      if (answer === undefined) throw new Error(`no scripted answer for request ${calls.length}`);
      return answer instanceof TransportError ? Promise.reject(answer) : Promise.resolve(answer);
    }
  };
  return { transport, calls };
}

const API = 'https://api.github.test';
const ok = (body: string, headers: HttpResponse['headers'] = {}): HttpResponse => ({ status: 200, headers, body });
const failing = (): HttpResponse => ({ status: 502, headers: {}, body: '{"message":"Server Error"}' });

function scriptedClient(
  answers: (HttpResponse | TransportError)[],
  over: { deadline?: number; retries?: number; requestTimeoutMs?: number; start?: number; repeatLast?: boolean } = {}
) {
  const { transport, calls } = scripted(answers, over.repeatLast);
  const clock = fakeClock(over.start ?? 0);
  const lines: string[] = [];
  const debug: string[] = [];
  const api = new GitHubApi(
    {
      apiUrl: API,
      token: GITHUB_TOKEN,
      requestTimeoutMs: over.requestTimeoutMs ?? 5000,
      retries: over.retries ?? 2,
      deadline: over.deadline ?? 600_000
    },
    transport,
    { info: (l) => lines.push(l), debug: (l) => debug.push(l) },
    clock
  );
  return { api, calls, clock, lines, debug };
}

const ASKED = { repository: 'octo-org/voice-agents', pullNumber: 7 };
const LIST_URL = `${API}/repos/octo-org/voice-agents/issues/7/comments?per_page=100`;

describe('GitHubApi, scripted', () => {
  it('sends a GET without a body or Content-Type, a write with both, and logs each request', async () => {
    const { api, calls, debug } = scriptedClient([ok('[]'), ok('{"id":9,"body":"hi"}'), ok('{"id":9}')]);
    await api.listComments(ASKED);
    expect(await api.createComment(ASKED, 'hi')).toBe(9);
    await api.updateComment(ASKED, 9, 'again');
    const headers = {
      Authorization: `Bearer ${GITHUB_TOKEN}`,
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28'
    };
    expect(calls).toStrictEqual([
      { method: 'GET', url: LIST_URL, options: { headers, timeoutMs: 5000, maxBytes: 32 * 1024 * 1024 } },
      {
        method: 'POST',
        url: `${API}/repos/octo-org/voice-agents/issues/7/comments`,
        options: {
          headers: { ...headers, 'Content-Type': 'application/json' },
          timeoutMs: 5000,
          maxBytes: 32 * 1024 * 1024,
          body: '{"body":"hi"}'
        }
      },
      {
        method: 'PATCH',
        url: `${API}/repos/octo-org/voice-agents/issues/comments/9`,
        options: {
          headers: { ...headers, 'Content-Type': 'application/json' },
          timeoutMs: 5000,
          maxBytes: 32 * 1024 * 1024,
          body: '{"body":"again"}'
        }
      }
    ]);
    expect(debug).toEqual([
      `GitHub: GET ${LIST_URL}`,
      `GitHub: POST ${API}/repos/octo-org/voice-agents/issues/7/comments`,
      `GitHub: PATCH ${API}/repos/octo-org/voice-agents/issues/comments/9`
    ]);
  });

  it('gives a request no more time than is left before the deadline', async () => {
    const { api, calls } = scriptedClient([ok('[]')], { start: 1000, deadline: 4000 });
    await api.listComments(ASKED);
    expect(calls.map((c) => c.options.timeoutMs)).toEqual([3000]);
  });

  it('sends nothing once the clock is past the deadline', async () => {
    const { api, calls } = scriptedClient([ok('[]')], { start: 10_000, deadline: 5000 });
    await expect(api.listComments(ASKED)).rejects.toThrow(
      'No time was left within step-timeout to write the comment: raise step-timeout.'
    );
    expect(calls).toHaveLength(0);
  });

  it('stops reading after MAX_PAGES pages when the Link never ends', async () => {
    const { api, calls } = scriptedClient([ok('[{"id":1}]', { link: `<${LIST_URL}&page=2>; rel="next"` })], {
      repeatLast: true
    });
    await expect(api.listComments(ASKED)).rejects.toMatchObject({
      name: 'GitHubError',
      message: `GitHub listed more than ${MAX_PAGES} pages of comments; the gate stopped reading.`
    });
    expect(calls).toHaveLength(MAX_PAGES);
    expect(api.requests).toBe(MAX_PAGES);
  });

  it('reads the last page a server may list', async () => {
    const page = (n: number) =>
      ok(`[{"id":${n}}]`, n < MAX_PAGES ? { link: `<${LIST_URL}&page=${n + 1}>; rel="next"` } : {});
    const answers = Array.from({ length: MAX_PAGES }, (_, i) => page(i + 1));
    const { api, calls } = scriptedClient(answers);
    expect(await api.listComments(ASKED)).toHaveLength(MAX_PAGES);
    expect(calls).toHaveLength(MAX_PAGES);
  });

  it('retries when a full attempt still fits before the deadline after the backoff', async () => {
    // First backoff with random 0.5 is 375 ms; an attempt is min(requestTimeout, 10 s) + 1 s slack.
    const { api, calls, clock } = scriptedClient([failing(), ok('[]')], { deadline: 375 + 6000 });
    expect(await api.listComments(ASKED)).toEqual([]);
    expect(calls).toHaveLength(2);
    expect(clock.slept).toEqual([375]);
  });

  it('gives up when a full attempt would end past the deadline, naming no wait GitHub did not ask for', async () => {
    const { api, calls, clock } = scriptedClient([failing(), ok('[]')], { deadline: 375 + 6000 - 1 });
    await expect(api.listComments(ASKED)).rejects.toThrow(
      `GitHub's API is failing (HTTP 502 "Server Error"), after 1 attempt, past step-timeout; the next run will write the comment.`
    );
    expect(calls).toHaveLength(1);
    expect(clock.slept).toEqual([]);
  });

  it('counts an attempt as at most 10 s of request-timeout plus slack', async () => {
    const { api, calls } = scriptedClient([failing(), ok('[]')], { requestTimeoutMs: 60_000, deadline: 375 + 11_000 });
    expect(await api.listComments(ASKED)).toEqual([]);
    expect(calls).toHaveLength(2);
  });

  it('retries a timeout and a dropped connection, then says what failed', async () => {
    const { api, calls, lines } = scriptedClient([
      new TransportError('no complete answer within 5s', 'timeout'),
      new TransportError('read ECONNRESET', 'network'),
      new TransportError('the connection closed\nbefore the answer was complete', 'network')
    ]);
    await expect(api.listComments(ASKED)).rejects.toMatchObject({
      name: 'GitHubError',
      message:
        'The request to GitHub failed (the connection closed before the answer was complete), after 3 attempts; the next run will write the comment.'
    });
    expect(calls).toHaveLength(3);
    expect(lines).toEqual([
      'The request to GitHub failed (no complete answer within 5s); trying again in 375ms.',
      'The request to GitHub failed (read ECONNRESET); trying again in 750ms.'
    ]);
  });

  it('does not retry a TLS, proxy or size failure, and names GITHUB_API_URL for base-url', async () => {
    const tls = scriptedClient([
      new TransportError("the certificate of https://api.github.test is not trusted: check 'base-url'", 'tls')
    ]);
    await expect(tls.api.listComments(ASKED)).rejects.toMatchObject({
      name: 'GitHubError',
      message:
        'The request to GitHub failed: the certificate of https://api.github.test is not trusted: check GITHUB_API_URL'
    });
    expect(tls.calls).toHaveLength(1);
    const big = scriptedClient([new TransportError('the answer is larger than 32 MiB', 'too-large')]);
    await expect(big.api.listComments(ASKED)).rejects.toThrow(
      'The request to GitHub failed: the answer is larger than 32 MiB'
    );
    expect(big.calls).toHaveLength(1);
  });

  it('trusts a comment of the repository owner', () => {
    expect(parseComments('[{"id":4,"body":"x","user":{"type":"User"},"author_association":"OWNER"}]')).toEqual([
      { id: 4, body: 'x', trusted: true }
    ]);
  });
});
