import { describe, expect, it } from '@jest/globals';
import { apiUrl, commentTarget } from '../../src/github/context.js';

const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const env = {
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_REPOSITORY: 'octo-org/voice-agents',
  GITHUB_RUN_ID: '9001',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_WORKFLOW: 'Deploy',
  GITHUB_JOB: 'gate',
  GITHUB_SHA: 'f'.repeat(40)
};
const event = { pull_request: { number: 7, head: { sha: HEAD } } };

describe('where the comment goes', () => {
  it("comments on a pull_request event's own pull request, judging its head commit", () => {
    expect(commentTarget(env, event, undefined)).toEqual({
      apiUrl: 'https://api.github.com',
      owner: 'octo-org',
      repo: 'voice-agents',
      pullNumber: 7,
      runId: 9001,
      runAttempt: 1,
      runUrl: 'https://github.com/octo-org/voice-agents/actions/runs/9001',
      workflow: 'Deploy',
      job: 'gate',
      sha: HEAD
    });
    const target = commentTarget(
      { ...env, GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_RUN_ATTEMPT: '3' },
      event,
      undefined
    );
    expect(target).toMatchObject({
      pullNumber: 7,
      runAttempt: 3,
      runUrl: expect.stringMatching(/runs\/9001\/attempts\/3$/)
    });
  });

  it('is no pull request on other events, without a warning, unless pr-number names one', () => {
    expect(commentTarget({ ...env, GITHUB_EVENT_NAME: 'push' }, event, undefined)).toEqual({
      problem: `The event "push" is not a pull request and 'pr-number' is empty, so no comment was written.`,
      warn: false
    });
    const run = { workflow_run: { head_sha: HEAD } };
    expect(commentTarget({ ...env, GITHUB_EVENT_NAME: 'workflow_run' }, run, 12)).toMatchObject({
      pullNumber: 12,
      sha: HEAD
    });
    expect(commentTarget({ ...env, GITHUB_EVENT_NAME: 'push' }, undefined, 12)).toMatchObject({ sha: 'f'.repeat(40) });
  });

  it('warns when the runner environment is missing or malformed', () => {
    for (const broken of [{ GITHUB_REPOSITORY: '' }, { GITHUB_RUN_ID: 'x' }, { GITHUB_REPOSITORY: 'a/b c' }]) {
      expect(commentTarget({ ...env, ...broken }, event, undefined)).toMatchObject({ warn: true });
    }
    expect(commentTarget(env, { pull_request: { number: '7' } }, undefined)).toMatchObject({ warn: false });
  });

  it('says an event without a name is no pull request, and reads no pull request from a null event or request', () => {
    const noPull = (name: string) => ({
      problem: `The event ${JSON.stringify(name)} is not a pull request and 'pr-number' is empty, so no comment was written.`,
      warn: false
    });
    const unnamed = { ...env, GITHUB_EVENT_NAME: undefined };
    expect(commentTarget(unnamed, event, undefined)).toEqual(noPull(''));
    expect(commentTarget(env, null, undefined)).toEqual(noPull('pull_request'));
    expect(commentTarget(env, { pull_request: null }, undefined)).toEqual(noPull('pull_request'));
    expect(commentTarget(env, { pull_request: { number: 0, head: { sha: HEAD } } }, undefined)).toEqual(
      noPull('pull_request')
    );
    expect(commentTarget(env, { pull_request: { number: 1, head: { sha: HEAD } } }, undefined)).toMatchObject({
      pullNumber: 1
    });
  });

  it('names the runner variables to fix when the repository or run id is malformed', () => {
    const malformed = {
      problem:
        'GITHUB_REPOSITORY or GITHUB_RUN_ID is missing or malformed, so no comment was written: run the action in GitHub Actions.',
      warn: true
    };
    for (const broken of [
      { GITHUB_REPOSITORY: 'octo org/voice-agents' },
      { GITHUB_REPOSITORY: 'octo-org/voice agents' },
      { GITHUB_REPOSITORY: 'octo-org' },
      { GITHUB_RUN_ID: '0' },
      { GITHUB_RUN_ID: '-3' },
      { GITHUB_RUN_ID: '1.5' }
    ]) {
      expect(commentTarget({ ...env, ...broken }, event, undefined)).toEqual(malformed);
    }
    expect(commentTarget({ ...env, GITHUB_RUN_ID: '1' }, event, undefined)).toMatchObject({
      runId: 1,
      runUrl: 'https://github.com/octo-org/voice-agents/actions/runs/1'
    });
  });

  it('links the run on a GHES server without doubled slashes, and counts attempts from 1', () => {
    const target = (extra: Record<string, string | undefined>) =>
      commentTarget({ ...env, GITHUB_SERVER_URL: 'https://ghe.example.com//', ...extra }, event, undefined);
    expect(target({})).toMatchObject({
      runAttempt: 1,
      runUrl: 'https://ghe.example.com/octo-org/voice-agents/actions/runs/9001'
    });
    for (const attempt of ['0', '1.5', '-2', undefined]) {
      expect(target({ GITHUB_RUN_ATTEMPT: attempt })).toMatchObject({
        runAttempt: 1,
        runUrl: 'https://ghe.example.com/octo-org/voice-agents/actions/runs/9001'
      });
    }
    expect(target({ GITHUB_RUN_ATTEMPT: '2' })).toMatchObject({
      runAttempt: 2,
      runUrl: 'https://ghe.example.com/octo-org/voice-agents/actions/runs/9001/attempts/2'
    });
  });

  it('leaves workflow, job and commit empty when the runner gives none and no commit is well formed', () => {
    const bare = { ...env, GITHUB_WORKFLOW: undefined, GITHUB_JOB: undefined, GITHUB_SHA: undefined };
    expect(commentTarget(bare, { pull_request: { number: 7 } }, undefined)).toMatchObject({
      workflow: '',
      job: '',
      sha: ''
    });
    // A head sha is taken only when it is exactly 40 lowercase hex digits.
    for (const sha of [`x${HEAD}`, `${HEAD}x`, HEAD.toUpperCase(), HEAD.slice(1)]) {
      expect(commentTarget(env, { pull_request: { number: 7, head: { sha } } }, undefined)).toMatchObject({
        sha: 'f'.repeat(40)
      });
      expect(commentTarget(env, { workflow_run: { head_sha: sha } }, 12)).toMatchObject({ sha: 'f'.repeat(40) });
    }
    expect(commentTarget(env, null, 12)).toMatchObject({ pullNumber: 12, sha: 'f'.repeat(40) });
  });

  it('defaults a blank GITHUB_API_URL, trims it, and refuses credentials, a query or a non-URL', () => {
    expect(apiUrl('')).toBe('https://api.github.com');
    expect(apiUrl('  ')).toBe('https://api.github.com');
    expect(apiUrl('\u00a0https://ghe.example.com/api/v3//\u00a0')).toBe('https://ghe.example.com/api/v3');
    const refused = (origin: string) => ({
      problem: `GITHUB_API_URL "${origin}" is not an https:// URL (plain http:// only to loopback), so no comment was written and github-token was not sent.`,
      warn: true
    });
    expect(apiUrl('https://user@ghe.example.com/api/v3')).toEqual(refused('https://ghe.example.com'));
    expect(apiUrl('https://ghe.example.com/api/v3?x=1')).toEqual(refused('https://ghe.example.com'));
    expect(apiUrl('not a url')).toEqual({
      problem: 'GITHUB_API_URL is not a URL, so no comment was written.',
      warn: true
    });
  });

  it('takes GITHUB_API_URL as given for GHES, https or loopback http only', () => {
    expect(apiUrl(undefined)).toBe('https://api.github.com');
    expect(apiUrl('https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com/api/v3');
    expect(apiUrl('http://127.0.0.1:3002')).toBe('http://127.0.0.1:3002');
    expect(apiUrl('http://[::1]:3002')).toBe('http://[::1]:3002');
    expect(apiUrl('http://ghe.example.com/api/v3')).toEqual({
      problem: expect.stringContaining(
        'is not an https:// URL (plain http:// only to loopback), so no comment was written and github-token was not sent'
      ),
      warn: true
    });
    expect(apiUrl('not a url')).toMatchObject({ warn: true });
    expect(apiUrl('ftp://ghe.example.com')).toMatchObject({ warn: true });
  });
});
