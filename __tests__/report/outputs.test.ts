import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/report/decision.js';
import { logLine, outputsFor, outputsForInputError, resultJson } from '../../src/report/outputs.js';
import { agentResult as result, earlyPassResult, execution, gateSettings as settings } from '../helpers.js';

describe('outputsFor', () => {
  it('fills every per-run output for one agent', () => {
    const r = result('sales-agent', 'breach');
    const out = outputsFor([r], decide([r], settings()));
    expect(out).toMatchObject({
      passed: 'false',
      'run-id': r.run!.runId,
      status: 'completed',
      'completed-tasks': '23',
      'total-tasks': '25',
      created: '2026-11-28T10:00:00Z',
      'execution-count': '12',
      'completion-rate': '92'
    });
    expect(out.reason).toContain('below the threshold');
    expect(JSON.parse(out.results!)).toEqual([
      {
        agent: 'sales-agent',
        passed: false,
        reason: r.reason,
        run_id: r.run!.runId,
        status: 'completed',
        completed_tasks: 23,
        total_tasks: 25,
        completion_rate: 92,
        created: '2026-11-28T10:00:00Z',
        execution_count: 12,
        verdict: 'fail',
        warning: '',
        threshold: 95,
        window: { runs: 1, completed_tasks: 23, total_tasks: 25, rate: 92 },
        baseline: null,
        decided_early: null,
        breakdown: null
      }
    ]);
    expect(out).toMatchObject({ verdict: 'fail', 'window-rate': '92', 'window-runs': '1', 'baseline-rate': '' });
  });

  it('leaves per-run outputs empty for a fleet, and uses null for unknowns', () => {
    const rs = [
      result('a'),
      result('b', 'config', { run: undefined, counts: undefined, rate: undefined, executionCount: undefined })
    ];
    const out = outputsFor(rs, decide(rs, settings()));
    for (const name of [
      'run-id',
      'status',
      'completed-tasks',
      'total-tasks',
      'created',
      'execution-count',
      'completion-rate'
    ])
      expect(out[name]).toBe('');
    const json = JSON.parse(out.results!) as Record<string, unknown>[];
    expect(json.map((j) => j.agent)).toEqual(['a', 'b']);
    expect(json[1]).toMatchObject({
      run_id: null,
      status: null,
      completion_rate: null,
      execution_count: null,
      created: null
    });
  });

  it('writes each output as one line the runner reads as text; results as JSON that decodes to the data', () => {
    const run = execution('R##[add-mask]1', { status: '##[error title=x]forged' });
    const rs = [
      result('a', 'breach', { run, reason: 'first ##[warning]x', executionCount: 3 }),
      result('b', 'breach', { reason: '::error::second' })
    ];
    const fleet = outputsFor(rs, decide(rs, settings()));
    const single = outputsFor([rs[0]!], decide([rs[0]!], settings()));
    for (const [name, value] of [...Object.entries(fleet), ...Object.entries(single)]) {
      expect(`${name}: ${value}`).not.toContain('##[');
      expect(value).not.toMatch(/[\n\r\u2028\u2029]/);
      expect(value).not.toMatch(/^\s*::/);
    }
    expect(single['run-id']).toBe('R## [add-mask]1');
    expect(single.status).toBe('## [error title=x]forged');
    expect(single.reason).toBe('first ## [warning]x');
    const data = JSON.parse(fleet.results!) as { run_id: string; status: string; reason: string }[];
    expect(data[0]).toMatchObject({
      run_id: 'R##[add-mask]1',
      status: '##[error title=x]forged',
      reason: 'first ##[warning]x'
    });
    expect(fleet.results).toContain('#\\u0023[add-mask]');
  });

  it('writes every output even for an input error', () => {
    const out = outputsForInputError('Input \'threshold\' is "abc"');
    expect(Object.keys(out).sort()).toEqual([
      'baseline-rate',
      'completed-tasks',
      'completion-rate',
      'created',
      'execution-count',
      'passed',
      'reason',
      'results',
      'run-id',
      'status',
      'total-tasks',
      'verdict',
      'window-rate',
      'window-runs'
    ]);
    expect(out).toMatchObject({ passed: 'false', reason: 'Input \'threshold\' is "abc"', results: '[]' });
  });
});

describe('logLine', () => {
  it('says what was judged and how it went, starting with a mark of ours', () => {
    expect(logLine(result('sales-agent'), settings())).toBe(
      '✅ sales-agent: passed. Run R00000000000000000000000000000011 completed, 25 of 25 tasks done (100%).'
    );
    const failed = result('x', 'config', { run: undefined, reason: 'Agent "x" not found.' });
    expect(logLine(failed, settings())).toBe('❌ x: Agent "x" not found.');
    const breach = result('y', 'breach');
    expect(logLine(breach, settings({ enforce: 'false' }))).toBe(`⚠️ y: ${breach.reason}`);
  });

  it('leaves out what a pass did not have: a run, counts, a rate', () => {
    const bare = result('a', undefined, { run: undefined, counts: undefined, rate: undefined });
    expect(logLine(bare, settings())).toBe('✅ a: passed.');
    const uncounted = result('b', undefined, { counts: undefined, rate: undefined });
    expect(logLine(uncounted, settings())).toBe('✅ b: passed. Run R00000000000000000000000000000001 completed.');
  });

  it('ends a warned pass with its warning', () => {
    const warned = result('c', undefined, { verdict: 'warn', warning: 'Rate 96% is below warn-below 97%.' });
    expect(logLine(warned, settings())).toBe(
      '⚠️ c: passed. Run R00000000000000000000000000000001 completed, 25 of 25 tasks done (100%). Warning: Rate 96% is below warn-below 97%.'
    );
  });
});

describe('resultJson', () => {
  it('gives null, not a number, for a result without a rate', () => {
    const r = result('b', 'config', { rate: undefined });
    expect(resultJson(r).completion_rate).toBeNull();
    expect(resultJson(result('a')).completion_rate).toBe(100);
  });
});

describe('an early pass', () => {
  const passed = earlyPassResult();

  it('is marked in results with the run status and counts at that poll, null otherwise', () => {
    expect(resultJson(passed).decided_early).toEqual({ status: 'in_progress', completed_tasks: 24, total_tasks: 25 });
    expect(resultJson(result('sales-agent')).decided_early).toBeNull();
  });

  it('says so in the log line', () => {
    expect(logLine(passed, settings())).toMatch(
      /\(96%\)\. Passed decided early: 24 of 25 done; even if the last task fails, 96% ≥ 95%\.$/
    );
  });
});
