/** The GitHub client against the example GitHub server on loopback, with a fake clock. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GITHUB_TOKEN, secondaryRateLimit, startGitHub, type GitHub } from '../../emulator/github.mjs';
import { GitHubApi, GitHubError, MAX_PAGES, parseComments } from '../../src/github/client.js';
import { Transport } from '../../src/unpod/transport.js';
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
