/**
 * The built bundle with a pull request: the sticky comment on the example GitHub server
 * (emulator/github.mjs), and a run with no Unpod token, as a fork's or Dependabot's gets.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITHUB_TOKEN, secondaryRateLimit, startGitHub, type GitHub } from '../emulator/github.mjs';
import { startEmulator, type Emulator } from '../emulator/server.mjs';
import { runAction, visibleText, type ActionRun } from '../scripts/run-action.mjs';
import { AS_WRITTEN, TOKEN, run as unpodRun, stepInputs } from './helpers.js';

const REPO = 'octo-org/voice-agents';
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const MARKER = /^<!-- unpod-gate-comment key=[0-9a-f]{16} run=(\d+) -->\n/;

let unpod: Emulator;
let github: GitHub;
const dir = mkdtempSync(join(tmpdir(), 'unpod-gate-pr-'));
let pulls = 0;
beforeAll(async () => {
  unpod = await startEmulator({ now: AS_WRITTEN });
  github = await startGitHub();
});
afterAll(async () => {
  await unpod.close();
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh pull request on the example GitHub server, so that each test reads its own comments. */
function newPull(): number {
  const number = ++pulls;
  github.openPullRequest(REPO, number);
  return number;
}

interface Where {
  readonly event?: string;
  readonly pull?: number;
  readonly runId?: number;
  readonly attempt?: number;
  readonly job?: string;
}

/** The runner's environment for a run of workflow "Deploy" on the pull request's event. */
function runnerEnv({
  event = 'pull_request',
  pull,
  runId = 100,
  attempt = 1,
  job = 'gate'
}: Where): Record<string, string> {
  const path = join(dir, `event-${event}-${pull ?? 0}-${runId}-${attempt}-${job}.json`);
  const payload =
    pull === undefined
      ? { ref: 'refs/heads/main' }
      : { number: pull, pull_request: { number: pull, head: { sha: SHA } } };
  writeFileSync(path, JSON.stringify(payload));
  return {
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: path,
    GITHUB_REPOSITORY: REPO,
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: String(attempt),
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_JOB: job,
    GITHUB_SHA: 'ffffffffffffffffffffffffffffffffffffffff'
  };
}

/** The gate with the comment on, on the example servers; inputs and the runner's place overridden. */
function gate(inputs: Record<string, string>, where: Where): Promise<ActionRun> {
  return runAction(stepInputs(unpod.url, { 'pr-comment': 'always', 'github-token': GITHUB_TOKEN, ...inputs }), {
    env: runnerEnv(where)
  });
}

/** GitHub requests for one pull request (its list and create) or any comment update, from `since`. */
function sentFor(pull: number, since: number): string[] {
  return github.requests
    .slice(since)
    .filter((r) => r.path.includes(`/issues/${pull}/`) || r.path.includes('/issues/comments/'))
    .map((r) => `${r.method} ${r.path.replace(`/repos/${REPO}`, '')}${r.query.page ? ` page ${r.query.page}` : ''}`);
}

const warnings = (run: ActionRun) => run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

describe('an empty Unpod token (a fork or Dependabot run: no secrets)', () => {
  it('fails by default, naming the likely cause and both remedies, before any request', async () => {
    const before = unpod.requests.length;
    const run = await runAction(stepInputs(unpod.url, { token: '' }));
    expect(run.code).toBe(1);
    const error = run.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/^Input 'token' is required and was empty\. The likely cause: secrets are not given/);
    expect(error).toContain("'if-no-token: skip'");
    expect(error).toContain('workflow_run');
    expect(run.outputs.passed).toBe('false');
    expect(run.outputs.reason).toBe(error);
    expect(unpod.requests.length).toBe(before);
  });

  it('with if-no-token: skip passes without a verdict: passed false, verdict skipped, a notice, no request', async () => {
    const before = unpod.requests.length;
    const run = await runAction(stepInputs(unpod.url, { token: '', 'if-no-token': 'skip', 'pr-comment': 'always' }));
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ passed: 'false', verdict: 'skipped', 'run-id': '', results: '[]' });
    expect(run.outputs.reason).toMatch(/^Skipped: input 'token' is empty/);
    expect(run.annotations).toEqual([{ level: 'notice', message: run.outputs.reason }]);
    expect(run.summary).toContain('Unpod gate skipped: no token');
    expect(unpod.requests.length).toBe(before);
    expect(visibleText(run)).not.toMatch(/::error/);
  });
});

describe('the sticky pull-request comment', () => {
  it('is off by default: no request to GitHub on a pull request', async () => {
    const pull = newPull();
    const before = github.requests.length;
    const run = await runAction(stepInputs(unpod.url), { env: runnerEnv({ pull }) });
    expect(run.code).toBe(0);
    expect(github.requests.length).toBe(before);
    expect(github.comments(REPO, pull)).toEqual([]);
  });

  it('writes one comment, then updates it on the next run: verdict, table, reasons, link, run and commit', async () => {
    const pull = newPull();
    const since = github.requests.length;
    const first = await gate({ 'agent-handle': 'sales-agent, support-agent' }, { pull, runId: 100 });
    expect(first.code).toBe(1);
    expect(sentFor(pull, since)).toEqual([`GET /issues/${pull}/comments`, `POST /issues/${pull}/comments`]);
    expect(github.requests.at(-1)?.query).toEqual({});
    expect(
      github.requests.find((r) => r.method === 'GET' && r.path.endsWith(`/issues/${pull}/comments`))?.query
    ).toEqual({
      per_page: '100'
    });
    const [comment] = github.comments(REPO, pull);
    const body = comment?.body ?? '';
    expect(body).toMatch(MARKER);
    expect(body.split('\n')[1]).toBe('### ❌ Unpod gate failed: 1 passed, 1 failed');
    expect(body).toContain('| Agent | Rate (threshold) | Verdict | Run |');
    expect(body).toContain(
      '| support&#45;agent | 92% (95%) | ❌ failed | <code>Rf0d48606404e302e98ad1348b5e7681a</code> |'.replace(
        '&#45;',
        '-'
      )
    );
    expect(body).toContain('| sales-agent | 100% (95%) | ✅ passed | <code>Rfe7950db30649c90886dc3980007786d</code> |');
    expect(body).toContain(
      '- **support-agent**: Run &#34;Rf0d48606404e302e98ad1348b5e7681a&#34; completed 23 of 25 tasks'
    );
    expect(body).toContain('[job summary](https://github.com/octo-org/voice-agents/actions/runs/100)');
    expect(body).toMatch(/judged \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by workflow run 100 at commit a1b2c3d/);
    expect(first.stdout).toContain(`Comment ${comment?.id} created on pull request #${pull}`);

    const again = github.requests.length;
    const second = await gate(
      { 'agent-handle': 'sales-agent, support-agent', threshold: '90' },
      { pull, runId: 101, attempt: 2 }
    );
    expect(second.code).toBe(0);
    expect(sentFor(pull, again)).toEqual([`GET /issues/${pull}/comments`, `PATCH /issues/comments/${comment?.id}`]);
    const after = github.comments(REPO, pull);
    expect(after.map((c) => c.id)).toEqual([comment?.id]);
    expect(after[0]?.body.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/run=101 -->$/),
      '### ✅ Unpod gate passed: 2 passed, 0 failed'
    ]);
    expect(after[0]?.body).toContain('actions/runs/101/attempts/2');
    expect(after[0]?.body).toContain('(attempt 2)');
  });

  it('finds its comment past the first page of 100, so it never writes a duplicate', async () => {
    const pull = newPull();
    const first = await gate({}, { pull, runId: 300 });
    expect(first.code).toBe(0);
    for (let i = 0; i < 230; i++)
      github.addComment(REPO, pull, `Looks good ${i}`, { login: 'reviewer', association: 'MEMBER' });
    // Someone without write access copies the marker: it is not the gate's comment.
    github.addComment(REPO, pull, github.comments(REPO, pull)[0]?.body.replace('run=300', 'run=999') ?? '', {
      login: 'stranger'
    });
    const since = github.requests.length;
    const run = await gate({}, { pull, runId: 301 });
    expect(run.code).toBe(0);
    const own = github.comments(REPO, pull)[0];
    expect(sentFor(pull, since)).toEqual([
      `GET /issues/${pull}/comments`,
      `GET /issues/${pull}/comments page 2`,
      `GET /issues/${pull}/comments page 3`,
      `PATCH /issues/comments/${own?.id}`
    ]);
    expect(github.comments(REPO, pull)).toHaveLength(232);
    expect(own?.body).toMatch(/run=301 -->/);
    // And a comment first found on page 3 is updated there.
    const late = newPull();
    for (let i = 0; i < 250; i++)
      github.addComment(REPO, late, `chatter ${i}`, { login: 'reviewer', association: 'MEMBER' });
    await gate({}, { pull: late, runId: 302 });
    const mark = github.comments(REPO, late).at(-1);
    for (let i = 0; i < 5; i++)
      github.addComment(REPO, late, `more ${i}`, { login: 'reviewer', association: 'MEMBER' });
    const later = github.requests.length;
    await gate({}, { pull: late, runId: 303 });
    expect(sentFor(late, later).at(-1)).toBe(`PATCH /issues/comments/${mark?.id}`);
    expect(github.comments(REPO, late)).toHaveLength(256);
  });

  it("on a fork's read-only token (403) warns once, saying what to change; verdict, exit code and outputs unchanged", async () => {
    const pull = newPull();
    const plain = await runAction(stepInputs(unpod.url, { 'agent-handle': 'support-agent' }), {
      env: runnerEnv({ pull })
    });
    github.setReadOnly(true);
    let run: ActionRun;
    try {
      run = await gate({ 'agent-handle': 'support-agent' }, { pull, runId: 400 });
    } finally {
      github.setReadOnly(false);
    }
    expect(run.code).toBe(plain.code);
    expect(run.code).toBe(1);
    expect(run.outputs).toEqual(plain.outputs);
    expect(warnings(run)).toEqual([
      expect.stringMatching(
        /^The pull-request comment was not written: GitHub did not let github-token write the comment \(HTTP 403 "Resource not accessible by integration"\): give the job 'permissions: pull-requests: write' \(or issues: write\)\. A pull request from a fork gets a read-only token/
      )
    ]);
    expect(warnings(run)[0]).toContain('The verdict is unchanged.');
    expect(github.comments(REPO, pull)).toEqual([]);
  });

  it('without a pull request (a push) sends no request to GitHub; pr-number comments on the given one', async () => {
    const before = github.requests.length;
    const run = await gate({}, { event: 'push' });
    expect(run.code).toBe(0);
    expect(github.requests.length).toBe(before);
    expect(run.stdout).toContain(
      `The event "push" is not a pull request and 'pr-number' is empty, so no comment was written.`
    );
    expect(warnings(run)).toEqual([]);

    const pull = newPull();
    const given = await gate({ 'pr-number': String(pull) }, { event: 'workflow_run', runId: 500 });
    expect(given.code).toBe(0);
    expect(github.comments(REPO, pull)).toHaveLength(1);
  });

  it('keeps the tokens apart: the Unpod token never goes to GitHub, github-token never to Unpod', async () => {
    const pull = newPull();
    const gh = github.requests.length;
    const up = unpod.requests.length;
    const run = await gate({ 'agent-handle': 'sales-agent, support-agent' }, { pull, runId: 600 });
    expect(run.code).toBe(1);
    const toGitHub = github.requests.slice(gh);
    const toUnpod = unpod.requests.slice(up);
    expect(toGitHub.length).toBeGreaterThanOrEqual(2);
    expect(toUnpod.length).toBeGreaterThanOrEqual(2);
    for (const r of toGitHub) {
      expect(r.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
      expect(JSON.stringify(r)).not.toContain(TOKEN);
    }
    for (const r of toUnpod) {
      expect(r.headers.authorization).toBe(`Token ${TOKEN}`);
      expect(JSON.stringify(r)).not.toContain(GITHUB_TOKEN);
    }
    // Both are masked, and neither shows anywhere.
    expect(run.stdout).toContain(`::add-mask::${GITHUB_TOKEN}`);
    expect(visibleText(run)).not.toContain(GITHUB_TOKEN);
    expect(visibleText(run)).not.toContain(TOKEN);
  });

  it('on-failure: no comment while passing, one when failing, and that one updated when fixed', async () => {
    const pull = newPull();
    const since = github.requests.length;
    const pass = await gate({ 'pr-comment': 'on-failure' }, { pull, runId: 700 });
    expect(pass.code).toBe(0);
    expect(sentFor(pull, since)).toEqual([`GET /issues/${pull}/comments`]);
    expect(github.comments(REPO, pull)).toEqual([]);

    const fail = await gate({ 'pr-comment': 'on-failure', 'agent-handle': 'support-agent' }, { pull, runId: 701 });
    expect(fail.code).toBe(1);
    expect(github.comments(REPO, pull)).toHaveLength(1);
    expect(github.comments(REPO, pull)[0]?.body).toContain('### ❌ Unpod gate failed');

    // The same key (same agents) passing later: the red comment must not stay.
    const fixed = await gate(
      { 'pr-comment': 'on-failure', 'agent-handle': 'support-agent', threshold: '90' },
      { pull, runId: 702 }
    );
    expect(fixed.code).toBe(0);
    expect(github.comments(REPO, pull)).toHaveLength(1);
    expect(github.comments(REPO, pull)[0]?.body).toContain('### ✅ Unpod gate passed: 1 passed, 0 failed');
  });

  it('matrix legs gating different agents keep separate comments; a re-run of a leg updates its own', async () => {
    const pull = newPull();
    await gate({ 'agent-handle': 'sales-agent' }, { pull, runId: 800 });
    await gate({ 'agent-handle': 'support-agent' }, { pull, runId: 800 });
    const legs = github.comments(REPO, pull);
    expect(legs).toHaveLength(2);
    expect(legs[0]?.body).toContain('sales-agent');
    expect(legs[1]?.body).toContain('support-agent');
    const since = github.requests.length;
    await gate({ 'agent-handle': 'support-agent', threshold: '90' }, { pull, runId: 800, attempt: 2 });
    expect(sentFor(pull, since).at(-1)).toBe(`PATCH /issues/comments/${legs[1]?.id}`);
    const after = github.comments(REPO, pull);
    expect(after[0]?.body).toBe(legs[0]?.body);
    expect(after[1]?.body).toContain('### ✅ Unpod gate passed');
    // Another job of the same workflow gating the same agent has its own comment too.
    await gate({ 'agent-handle': 'sales-agent' }, { pull, runId: 800, job: 'gate-staging' });
    expect(github.comments(REPO, pull)).toHaveLength(3);
  });

  it('an older run never overwrites the comment of a newer one', async () => {
    const pull = newPull();
    await gate({ 'agent-handle': 'support-agent', threshold: '90' }, { pull, runId: 901 });
    const newer = github.comments(REPO, pull)[0];
    const since = github.requests.length;
    const older = await gate({ 'agent-handle': 'support-agent' }, { pull, runId: 900 });
    expect(older.code).toBe(1);
    expect(sentFor(pull, since)).toEqual([`GET /issues/${pull}/comments`]);
    expect(github.comments(REPO, pull)).toEqual([newer]);
    expect(older.stdout).toContain(
      `No comment written on pull request #${pull}: comment ${newer?.id} was written by a newer workflow run (901); this run (900) leaves it.`
    );
    expect(warnings(older)).toEqual([]);
  });

  it('a fleet of 120 agents: one comment within 65,536 characters, failures first', async () => {
    const agents = Array.from(
      { length: 120 },
      (_, i) => `fleet-agent-with-a-long-descriptive-handle-${String(i).padStart(3, '0')}`
    );
    agents.forEach((agent, i) => {
      unpod.addRun(agent, unpodRun(i + 1, i % 3 === 0 ? { completed_tasks: 20 } : {}));
    });
    const pull = newPull();
    const run = await gate(
      { 'agent-handle': agents.join('\n'), explain: 'never', concurrency: '8' },
      { pull, runId: 1000 }
    );
    expect(run.code).toBe(1);
    expect(warnings(run)).toEqual([]);
    const [comment] = github.comments(REPO, pull);
    const body = comment?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.split('\n')[1]).toBe('### ❌ Unpod gate failed: 80 passed, 40 failed');
    const rows = body.split('\n').filter((l) => l.startsWith('| fleet-agent'));
    const cut = /\*\*(\d+) more agents are left out\*\*/.exec(body);
    expect(rows.length + Number(cut?.[1] ?? 0)).toBe(120);
    // The 40 failing agents come first.
    expect(rows.slice(0, 40).every((r) => r.includes('❌ failed'))).toBe(true);
  });

  it('retries a secondary rate limit as Retry-After asks, and a 502, then writes the comment', async () => {
    const pull = newPull();
    github.fault({ method: 'GET', ...secondaryRateLimit(1) });
    github.fault({ method: 'POST', status: 502, body: { message: 'Server Error' } });
    const run = await gate({}, { pull, runId: 1100 });
    expect(run.code).toBe(0);
    expect(warnings(run)).toEqual([]);
    expect(run.stdout).toMatch(
      /GitHub is rate-limiting github-token \(HTTP 403 "You have exceeded a secondary rate limit\.[^"]*"\); trying again in 1s\./
    );
    expect(run.stdout).toMatch(/GitHub's API is failing \(HTTP 502 "Server Error"\); trying again in/);
    expect(github.comments(REPO, pull)).toHaveLength(1);
  });

  it('gives up on a rate limit whose wait is past step-timeout with one warning, the verdict unchanged', async () => {
    const pull = newPull();
    github.fault({ method: 'GET', ...secondaryRateLimit(3600) });
    const run = await gate({ 'agent-handle': 'support-agent', 'step-timeout': '1m' }, { pull, runId: 1200 });
    expect(run.code).toBe(1);
    expect(run.outputs.passed).toBe('false');
    expect(warnings(run)).toEqual([
      expect.stringMatching(
        /^The pull-request comment was not written: GitHub is rate-limiting github-token .*, after 1 attempt; it asked to wait 1h 0m 0s, past step-timeout; the next run will write the comment\. The verdict is unchanged\.$/
      )
    ]);
  });

  it('a 404 (no such pull request) and a 422 each give one warning naming what to check', async () => {
    const missing = await gate({ 'pr-number': '999999' }, { event: 'workflow_run', runId: 1300 });
    expect(missing.code).toBe(0);
    expect(warnings(missing)).toEqual([expect.stringContaining(`GitHub found no pull request #999999 in ${REPO}`)]);
    expect(warnings(missing)[0]).toContain("check 'pr-number'");
    const pull = newPull();
    github.fault({
      method: 'POST',
      status: 422,
      body: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body' }] }
    });
    const refused = await gate({}, { pull, runId: 1301 });
    expect(refused.code).toBe(0);
    expect(refused.outputs.passed).toBe('true');
    expect(warnings(refused)).toEqual([
      expect.stringContaining('GitHub refused the comment as invalid (HTTP 422 "Validation Failed")')
    ]);
  });
});
