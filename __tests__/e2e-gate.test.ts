/** The built bundle against the example server: every gate rule, end to end. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../emulator/server.mjs';
import { runAction, visibleText, type ActionRun } from '../scripts/run-action.mjs';
import { AS_WRITTEN, TOKEN } from './helpers.js';

let server: Emulator;
beforeAll(async () => {
  server = await startEmulator({ now: AS_WRITTEN });
});
afterAll(async () => {
  await server.close();
});

const gate = (inputs: Record<string, string> = {}, options = {}): Promise<ActionRun> =>
  runAction(
    {
      'agent-handle': 'sales-agent',
      'org-handle': 'demo-org',
      token: TOKEN,
      'base-url': server.url,
      threshold: '95',
      ...inputs
    },
    options
  );

function expectNoToken(run: ActionRun, scheme: 'Token' | 'Bearer' = 'Token', token = TOKEN): void {
  expect(visibleText(run)).not.toContain(token);
  // Masked bare and as the header value, before anything else is printed.
  const lines = run.stdout.split('\n');
  expect(lines.slice(0, 2).sort()).toEqual([`::add-mask::${token}`, `::add-mask::${scheme} ${token}`].sort());
}

describe('the gate on the example server', () => {
  it('passes a healthy agent: outputs, notice, summary, and the request it sent', async () => {
    const before = server.requests.length;
    const run = await gate();
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      passed: 'true',
      reason: '',
      'run-id': 'Rfe7950db30649c90886dc3980007786d',
      status: 'completed',
      'completed-tasks': '25',
      'total-tasks': '25',
      created: '2026-11-24T09:15:02Z',
      'execution-count': '7',
      'completion-rate': '100'
    });
    expect(run.annotations).toEqual([
      { level: 'notice', message: 'Run Rfe7950db30649c90886dc3980007786d passed at 100% (threshold 95%).' }
    ]);
    expect(run.summary?.split('\n')[0]).toBe('<h2>✅ Unpod gate passed: 1 passed, 0 failed</h2>');
    expect(run.summary).toContain('sales-agent');
    const sent = server.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      path: '/api/v2/platform/agents/sales-agent/executions/',
      query: { page: '1', page_size: '50' },
      status: 200
    });
    expect(sent[0]?.headers).toMatchObject({
      authorization: `Token ${TOKEN}`,
      'org-handle': 'demo-org',
      accept: 'application/json'
    });
    expect(String(sent[0]?.headers['user-agent'])).toMatch(/^unpod-gate-action\/\d+\.\d+\.\d+/);
    expectNoToken(run);
  });

  it('fails below the threshold with one error annotation and the reason everywhere', async () => {
    const run = await gate({ 'agent-handle': 'support-agent' });
    expect(run.code).toBe(1);
    const reason =
      'Run "Rf0d48606404e302e98ad1348b5e7681a" completed 23 of 25 tasks (92%), below the threshold of 95%; of the 2 tasks not completed, 1 ended no_answer.';
    expect(run.outputs).toMatchObject({
      passed: 'false',
      reason,
      'completion-rate': '92',
      'completed-tasks': '23',
      'total-tasks': '25'
    });
    expect(run.annotations).toEqual([{ level: 'error', message: reason }]);
    expect(run.summary).toContain('❌ Unpod gate failed');
    expect(run.summary).toContain('below the threshold of 95%');
    expectNoToken(run);
  });

  it('passes the same run when the threshold is exactly its rate', async () => {
    const run = await gate({ 'agent-handle': 'support-agent', threshold: '92%' });
    expect(run.code).toBe(0);
    expect(run.outputs['completion-rate']).toBe('92');
  });

  it('fails a failed run whatever its counts', async () => {
    const run = await gate({ 'agent-handle': 'booking-agent', threshold: '0' });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ passed: 'false', status: 'failed', 'completion-rate': '12' });
    expect(run.outputs.reason).toBe(
      'Run "Rcb6a45faffccdea2ed002b05760b0f42" failed; of the 22 tasks not completed, 7 ended busy.'
    );
  });

  it('judges partially_completed by its rate', async () => {
    const run = await gate({ 'agent-handle': 'partial-agent' });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'partially_completed',
      'completion-rate': '96',
      created: '2026-11-26T16:45:30.25Z'
    });
  });

  it('fails an unfinished run without waiting, saying it is still running', async () => {
    const local = await startEmulator();
    try {
      const run = await gate({ 'agent-handle': 'survey-agent', 'base-url': local.url });
      expect(run.code).toBe(1);
      expect(run.outputs.reason).toBe(
        'Run "R78bb61b32934a2c0d4b8513aadfd299d" is still "in_progress" (10 of 25 tasks done): it has not finished, so it cannot be judged yet; of the 15 tasks not completed, 8 are in_progress.'
      );
      expect(run.outputs['completion-rate']).toBe('');
      // One page of executions, then one of tasks to explain it (all 25 fit on it).
      expect(local.requests.map((q) => q.endpoint)).toEqual(['executions', 'tasks']);
    } finally {
      await local.close();
    }
  });

  it('fails an agent with no executions', async () => {
    const run = await gate({ 'agent-handle': 'new-agent' });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ passed: 'false', 'execution-count': '0', 'run-id': '' });
    expect(run.outputs.reason).toBe('Agent "new-agent" has no executions, so there is no run to judge.');
  });

  it('gates the run named by run-id instead of the latest', async () => {
    const run = await gate({ 'run-id': 'R9ce84af355ff006a306ef46faa5efc92' });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({
      'run-id': 'R9ce84af355ff006a306ef46faa5efc92',
      'completion-rate': '80',
      created: '2026-11-17T05:57:45Z'
    });
  });

  it('fails a run-id that is not there, saying how much was searched', async () => {
    const run = await gate({ 'run-id': 'R00000000000000000000000000000000' });
    expect(run.code).toBe(1);
    expect(run.outputs.reason).toBe(
      `Run "R00000000000000000000000000000000" was not found among the 7 most recent executions of agent "sales-agent" (1 page searched): check 'run-id'.`
    );
  });

  it('accepts the token with its Token prefix, and a Bearer token as given', async () => {
    const before = server.requests.length;
    const prefixed = await gate({ token: `Token ${TOKEN}` });
    expect(prefixed.code).toBe(0);
    const bearer = await gate({ token: `Bearer ${TOKEN}` });
    expect(bearer.code).toBe(0);
    expect(server.requests.slice(before).map((r) => r.headers.authorization)).toEqual([
      `Token ${TOKEN}`,
      `Bearer ${TOKEN}`
    ]);
    expectNoToken(prefixed);
    expectNoToken(bearer, 'Bearer');
  });

  it.each([
    [{ token: 'f'.repeat(40) }, 401, /^The API refused the token \(HTTP 401 "Invalid token\."\): check 'token'/],
    [
      { 'org-handle': 'other-org' },
      206,
      /^Unpod denied access \(HTTP 206 "You Don't have Access to this Space"; an error despite being 2xx\): check 'org-handle'/
    ],
    [
      { 'agent-handle': 'ghost-agent' },
      404,
      /^Agent "ghost-agent" not found \(HTTP 404 "Agent not found\."\): check 'agent-handle' and 'base-url'\.$/
    ]
  ])('explains configuration errors: %j gives HTTP %d, not retried', async (inputs, status, reason) => {
    const before = server.requests.length;
    const run = await gate(inputs);
    expect(run.code).toBe(1);
    expect(run.outputs.passed).toBe('false');
    expect(run.outputs.reason).toMatch(reason);
    expect(run.annotations.filter((a) => a.level === 'error')).toHaveLength(1);
    expect(server.requests.slice(before).map((r) => r.status)).toEqual([status]);
    expect(run.summary).toContain('❌ Unpod gate failed');
    expect(visibleText(run)).not.toContain('f'.repeat(40));
  });

  it('encodes a handle as one path segment', async () => {
    const before = server.requests.length;
    const run = await gate({ 'agent-handle': '../../admin?x=1#y' });
    expect(run.code).toBe(1);
    expect(server.requests.slice(before)[0]?.path).toBe(
      '/api/v2/platform/agents/..%2F..%2Fadmin%3Fx%3D1%23y/executions/'
    );
    expect(run.outputs.reason).toContain('not found');
  });

  it('keeps a base-url path prefix and ignores a trailing slash', async () => {
    const before = server.requests.length;
    const run = await gate({ 'base-url': `${server.url}/unpod/` });
    expect(run.code).toBe(0);
    expect(server.requests.slice(before)[0]?.path).toBe('/unpod/api/v2/platform/agents/sales-agent/executions/');
  });

  it('reaches the server over IPv6 loopback', async () => {
    const v6 = await startEmulator({ host: '::1' });
    try {
      const run = await gate({ 'base-url': v6.url });
      expect(run.code).toBe(0);
      expect(v6.requests).toHaveLength(1);
    } finally {
      await v6.close();
    }
  });

  it.each([
    [{ threshold: 'abc' }, 'Input \'threshold\' is "abc"'],
    [{ threshold: '150' }, 'Input \'threshold\' is "150", which is above 100'],
    [{ 'agent-handle': '  ' }, "Input 'agent-handle' is required"],
    [{ 'agent-handle': '..' }, 'Input \'agent-handle\' contains ".."'],
    [{ token: '' }, "Input 'token' is required"],
    [{ 'base-url': 'http://unpod.example.com' }, "Input 'base-url' is plain http:// to unpod.example.com"],
    [{ 'base-url': 'https://user:pass@unpod.dev' }, "Input 'base-url' must not carry credentials"],
    [{ retries: '99' }, 'Input \'retries\' is "99"']
  ])('refuses bad input %j before any request, still writing outputs and summary', async (inputs, message) => {
    const before = server.requests.length;
    const run = await gate(inputs);
    expect(run.code).toBe(1);
    expect(server.requests.length).toBe(before);
    expect(run.outputs.passed).toBe('false');
    expect(run.outputs.reason).toContain(message);
    expect(run.outputs.results).toBe('[]');
    expect(run.annotations).toEqual([{ level: 'error', message: run.outputs.reason }]);
    expect(run.summary).toContain('invalid input');
    expect(visibleText(run)).not.toContain(TOKEN);
  });

  it('writes no summary for bad input when summary is false', async () => {
    const run = await gate({ threshold: 'abc', summary: 'false' });
    expect(run.code).toBe(1);
    expect(run.summary).toBeUndefined();
    expect(run.outputs.reason).toContain("Input 'threshold'");
  });

  it('warns and carries on without GITHUB_STEP_SUMMARY, and writes none when summary is false', async () => {
    const none = await gate({}, { summaryFile: false });
    expect(none.code).toBe(0);
    expect(none.outputs.passed).toBe('true');
    expect(none.annotations.find((a) => a.level === 'warning')?.message).toMatch(/^Could not write the job summary/);
    const off = await gate({ summary: 'false' });
    expect(off.code).toBe(0);
    expect(off.summary).toBeUndefined();
  });

  it('never shows a token that the server echoes back', async () => {
    const local = await startEmulator();
    try {
      local.fault({ kind: 'echo-token' });
      const run = await gate({ 'base-url': local.url });
      expect(run.code).toBe(1);
      expect(run.outputs.reason).toContain('HTTP 401');
      expect(run.outputs.reason).toContain('***');
      expectNoToken(run);
    } finally {
      await local.close();
    }
  });
});
