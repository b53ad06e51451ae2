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
