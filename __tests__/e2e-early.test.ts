/**
 * decide-early and the calls-needed hint, end to end: the built bundle against the example
 * server, read the way the runner reads it (outputs, summary, annotations, log).
 */
import { describe, expect, it } from '@jest/globals';
import type { Emulator } from '../emulator/server.mjs';
import { runAction, type ActionRun } from '../scripts/run-action.mjs';
import { hex, run, stepInputs, withServer } from './helpers.js';

function gate(server: Emulator, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction(stepInputs(server.url, { 'request-timeout': '2s', ...inputs }));
}

const WAIT = { 'wait-timeout': '60s', 'poll-interval': '1s', explain: 'never' };
const listed = (server: Emulator): number => server.requests.filter((q) => q.endpoint === 'executions').length;
/** The summary as a person reads it: the entities that make API text inert decoded. */
const read = (r: ActionRun): string =>
  (r.summary ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
const results = (r: ActionRun): Record<string, unknown>[] =>
  JSON.parse(r.outputs.results ?? '[]') as Record<string, unknown>[];

describe('decide-early', () => {
  it.concurrent('passes a running run at 24 of 25 against 95 at the first poll that confirms its total', async () => {
    await withServer(async (server) => {
      // It would finish only after 30 answers: the gate must not wait for that.
      server.addRun('tail-agent', {
        ...run(1, { status: 'in_progress', completed_tasks: 24 }),
        timeline: [{ afterRequests: 30, status: 'completed', completed_tasks: 25 }]
      });
      const r = await gate(server, { 'agent-handle': 'tail-agent', 'decide-early': 'true', ...WAIT });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({
        passed: 'true',
        verdict: 'pass',
        status: 'in_progress',
        'completed-tasks': '24',
        'total-tasks': '25',
        'completion-rate': '96',
        reason: ''
      });
      // The first answer and one poll: the same total twice in a row.
      expect(listed(server)).toBe(2);
      const note = 'decided early: 24 of 25 done; even if the last task fails, 96% ≥ 95%';
      expect(results(r)[0]).toMatchObject({
        decided_early: { status: 'in_progress', completed_tasks: 24, total_tasks: 25 },
        status: 'in_progress',
        verdict: 'pass'
      });
      expect(r.annotations).toEqual([
        { level: 'notice', message: `Run ${hex(1)} passed at 96% (threshold 95%), ${note}.` }
      ]);
      expect(read(r)).toContain('<h3>Decided early</h3>');
      expect(read(r)).toContain(`passed while the run was still "in_progress", ${note}.`);
      expect(r.stdout).toContain(`Passed, ${note}.`);
      expect(r.stdout).toMatch(
        /✅ tail-agent: passed\. Run R0+1 in_progress, 24 of 25 tasks done \(96%\)\. Passed decided early/
      );
    });
  });

  it.concurrent('waits on while the outcome is open at 22 of 25, and judges the finished run as usual', async () => {
    await withServer(async (server) => {
      server.addRun('open-agent', {
        ...run(1, { status: 'in_progress', completed_tasks: 22 }),
        timeline: [
          { afterRequests: 2, completed_tasks: 23 },
          { afterRequests: 3, status: 'completed', completed_tasks: 25 }
        ]
      });
      const r = await gate(server, { 'agent-handle': 'open-agent', 'decide-early': 'true', ...WAIT });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ passed: 'true', status: 'completed', 'completion-rate': '100' });
      expect(listed(server)).toBe(4);
      expect(r.stdout).toMatch(/Poll 1: "in_progress", 22 of 25 tasks done/);
      expect(r.stdout).toMatch(/Poll 2: "in_progress", 23 of 25 tasks done/);
      expect(r.stdout).not.toContain('decided early');
      expect(results(r)[0]).toMatchObject({ decided_early: null });
      expect(read(r)).not.toContain('Decided early');
    });
  });

  it.concurrent('without decide-early, waits for the run to finish exactly as before', async () => {
    await withServer(async (server) => {
      server.addRun('tail-agent', {
        ...run(1, { status: 'in_progress', completed_tasks: 24 }),
        timeline: [{ afterRequests: 3, status: 'completed', completed_tasks: 24 }]
      });
      const r = await gate(server, { 'agent-handle': 'tail-agent', ...WAIT });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ passed: 'true', status: 'completed', 'completion-rate': '96' });
      expect(listed(server)).toBe(4);
      expect(results(r)[0]).toMatchObject({ decided_early: null });
      expect(r.stdout).not.toContain('decided early');
      expect(r.annotations).toEqual([{ level: 'notice', message: `Run ${hex(1)} passed at 96% (threshold 95%).` }]);
    });
  });

  it.concurrent('pools a running run with the window: 20 of 25 and two 10-of-10 runs against 85', async () => {
    await withServer(async (server) => {
      server.addRun('pooled-agent', run(1, { total_tasks: 10, completed_tasks: 10 }));
      server.addRun('pooled-agent', run(2, { total_tasks: 10, completed_tasks: 10 }));
      server.addRun('pooled-agent', {
        ...run(3, { status: 'running', completed_tasks: 20 }),
        timeline: [{ afterRequests: 30, status: 'completed', completed_tasks: 25 }]
      });
      const r = await gate(server, {
        'agent-handle': 'pooled-agent',
        threshold: '85',
        window: '3',
        'decide-early': 'true',
        ...WAIT
      });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({
        passed: 'true',
        status: 'running',
        'completion-rate': '80',
        'window-rate': '88.89',
        'window-runs': '3'
      });
      expect(listed(server)).toBe(2);
      const note = 'decided early: 20 of 25 done; even if the last 5 tasks fail, the 3 runs pooled give 88.89% ≥ 85%';
      expect(r.annotations).toEqual([
        { level: 'notice', message: `Run ${hex(3)} passed: 3 runs pooled at 88.89% (threshold 85%), ${note}.` }
      ]);
      expect(results(r)[0]).toMatchObject({
        decided_early: { status: 'running', completed_tasks: 20, total_tasks: 25 },
        window: { runs: 3, completed_tasks: 40, total_tasks: 45, rate: 88.89 }
      });
      expect(read(r)).toContain(note);
    });
  });
});

describe('calls needed for a confident verdict', () => {
  it.concurrent('a perfect run of 25 at 95% confidence against 95% warns that it takes 73 calls', async () => {
    await withServer(async (server) => {
      server.addRun('small-agent', run(1));
      const r = await gate(server, { 'agent-handle': 'small-agent', threshold: '95', confidence: '95' });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ passed: 'true', verdict: 'warn' });
      const hint = '25 calls cannot prove 95% at 95% confidence even if every one completes: that takes at least 73.';
      expect(r.annotations).toEqual([
        { level: 'warning', message: expect.stringContaining(hint) as unknown as string }
      ]);
      expect(results(r)[0]).toMatchObject({ interval: { confidence: 95, calls_needed: 73 } });
      expect(read(r)).toContain(hint);
      // 73 of 73 proves it: no warning, no hint.
      server.setRun('small-agent', hex(1), { total_tasks: 73, completed_tasks: 73 });
      const big = await gate(server, { 'agent-handle': 'small-agent', threshold: '95', confidence: '95' });
      expect(big.outputs).toMatchObject({ passed: 'true', verdict: 'pass' });
      expect(results(big)[0]).toMatchObject({ interval: { calls_needed: 73 } });
      expect(big.stdout).not.toContain('cannot prove');
    });
  });
});
