import { describe, expect, it } from '@jest/globals';
import {
  SUMMARY_LIMIT_BYTES,
  buildInputErrorSummary,
  buildSummary,
  decide,
  escapeText,
  logLine,
  outputsFor,
  outputsForInputError
} from '../../src/report/report.js';
import { agentResult as result, execution, gateSettings as settings } from '../helpers.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
describe('decide', () => {
  it('fails the step for an enforced breach, and passes it when report-only', () => {
    const results = [result('a'), result('b', 'breach')];
    expect(decide(results, settings())).toMatchObject({ passed: false, failStep: true, undecided: false });
    expect(decide(results, settings({ enforce: 'false' }))).toMatchObject({ passed: false, failStep: false });
  });

  it('always fails the step for configuration and data errors', () => {
    expect(decide([result('a', 'config')], settings({ enforce: 'false' })).failStep).toBe(true);
    expect(decide([result('a', 'data')], settings({ 'on-api-error': 'warn' })).failStep).toBe(true);
  });

  it('lets an unavailable API pass with on-api-error warn, as undecided', () => {
    expect(decide([result('a', 'unavailable')], settings())).toMatchObject({ failStep: true, undecided: false });
    expect(decide([result('a', 'unavailable')], settings({ 'on-api-error': 'warn' }))).toMatchObject({
      passed: false,
      failStep: false,
      undecided: true
    });
  });

  it('names each failing agent in the reason of a fleet', () => {
    const d = decide([result('sales'), result('support', 'breach'), result('booking', 'breach')], settings());
    expect(d.reason).toMatch(/^2 of 3 agents did not pass the gate\. support: Run .* booking: Run /);
    expect(d.reason).not.toContain('sales');
  });
});

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

describe('escapeText', () => {
  it('renders Markdown and HTML from the API as text', () => {
    const hostile = '<img src=x onerror=alert(1)> | `code` **bold** [link](http://x) @team #1\n::error::x';
    const out = escapeText(hostile);
    expect(out.replace(/&#\d+;/g, '')).not.toMatch(/[<>|`*[\]@#:\n]/);
    expect(out).toContain('&#60;img');
  });
});

describe('buildSummary', () => {
  it('renders a mixed fleet: verdict first, a row per agent, reasons, folded history', () => {
    const rs = [result('sales-agent'), result('support-agent', 'breach')];
    const md = buildSummary(rs, decide(rs, settings()), settings(), NOW);
    expect(md.split('\n')[0]).toBe('<h2>❌ Unpod gate failed: 1 passed, 1 failed</h2>');
    expect(md).toMatchSnapshot();
  });

  it('says when the gate could not decide, and when it only reports', () => {
    const down = [result('a', 'unavailable')];
    expect(
      buildSummary(down, decide(down, settings({ 'on-api-error': 'warn' })), settings({ 'on-api-error': 'warn' }), NOW)
    ).toContain('could not decide');
    const breach = [result('a', 'breach')];
    expect(
      buildSummary(breach, decide(breach, settings({ enforce: 'false' })), settings({ enforce: 'false' }), NOW)
    ).toContain('would fail (report only');
    const ok = [result('a')];
    expect(buildSummary(ok, decide(ok, settings()), settings(), NOW).split('\n')[0]).toBe(
      '<h2>✅ Unpod gate passed: 1 passed, 0 failed</h2>'
    );
  });

  it('renders ids crafted to inject Markdown or HTML as text', () => {
    const evil = '</td></tr></table><script>alert(1)</script>|x|`y`';
    const r = result(evil, 'breach', { reason: `Run ${evil} failed.` });
    const md = buildSummary([r], decide([r], settings()), settings(), NOW);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('</table><script');
    expect(md).toContain('&#60;script&#62;');
  });

  it('stays under the 1 MiB limit by trimming history, and says so', () => {
    const big = 'R' + 'a'.repeat(59);
    const history = Array.from({ length: 50 }, (_, i) =>
      execution(`${big}${i}`, { created: new Date(NOW - i * 60_000).toISOString() })
    );
    const rs = Array.from({ length: 300 }, (_, i) => result(`agent-${i}-${'x'.repeat(60)}`, 'breach', { history }));
    const s = settings({ history: '50' });
    const md = buildSummary(rs, decide(rs, s), s, NOW);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(md).toContain('History trimmed to');
  });

  it('drops rows, saying so, when even the table alone is too big', () => {
    const rs = Array.from({ length: 6000 }, (_, i) =>
      result(`agent-${i}-${'y'.repeat(70)}`, 'breach', { history: [] })
    );
    const md = buildSummary(rs, decide(rs, settings()), settings(), NOW);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(md).toMatch(/\d+ more agents are left out/);
  });

  it('explains an input error', () => {
    expect(buildInputErrorSummary("Input 'token' is required and was empty.")).toContain('invalid input');
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
});

describe('the headline of a failing step', () => {
  it('is the reason for one agent, and names the failing agents of a fleet, at most ten', () => {
    const one = [result('a', 'breach')];
    expect(decide(one, settings()).headline).toBe(one[0]!.reason);
    const fleet = Array.from({ length: 13 }, (_, i) => result(`agent-${i}`, i === 0 ? undefined : 'breach'));
    expect(decide(fleet, settings()).headline).toBe(
      `12 of 13 agents did not pass the gate: ${fleet
        .slice(1, 11)
        .map((r) => r.agent)
        .join(', ')} and 2 more. The job summary says why.`
    );
  });
});
