/**
 * The built bundle with a pull request: the sticky comment on the example GitHub server
 * (emulator/github.mjs), and a run with no Unpod token, as a fork's or Dependabot's gets.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../emulator/server.mjs';
import { runAction, visibleText } from '../scripts/run-action.mjs';
import { AS_WRITTEN, stepInputs } from './helpers.js';

let unpod: Emulator;
beforeAll(async () => {
  unpod = await startEmulator({ now: AS_WRITTEN });
});
afterAll(async () => {
  await unpod.close();
});

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
